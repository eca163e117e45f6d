//! `cargo test` catches a stale `generated.rs`, fragment or transport
//! `surface.rs`: the generator runs in memory and its output must equal the
//! committed files. Where the upstream reference spec is beside the checkout
//! (as in CI), `cargo xtask update-spec` on it must give the committed pin,
//! fragment and types, with no change reported and every overlay action applying.

#[test]
fn generated_types_match_the_fragment() {
    let root = xtask::workspace_root();
    match xtask::check(&root).expect("the fragment generates") {
        xtask::Freshness::Fresh => {}
        xtask::Freshness::Stale(_) => {
            panic!(
                "{}, {} or a surface.rs is stale: run `cargo xtask codegen` and commit the result",
                xtask::FRAGMENT_PATH,
                xtask::OUTPUT_PATH
            )
        }
    }
}

#[test]
fn the_upstream_reference_gives_the_committed_pin_fragment_and_types() {
    let test = "the_upstream_reference_gives_the_committed_pin_fragment_and_types";
    let Some(path) = videos_tests::brief::beside("reference/videos-upstream.openapi.yaml", test) else { return };
    let root = xtask::workspace_root();
    let read = |relative: &str| std::fs::read_to_string(root.join(relative)).unwrap();
    let upstream = std::fs::read_to_string(&path).unwrap();
    let pin = read(xtask::spec::PIN_PATH);
    let update =
        xtask::spec::update("videos-upstream.openapi.yaml", &upstream, &read(xtask::spec::OVERLAY_PATH), Some(&pin))
            .expect("the reference goes through the pipeline");
    let stale = format!("run `cargo xtask update-spec {}`", path.display());
    assert!(update.pin == pin, "{} is stale: {stale}", xtask::spec::PIN_PATH);
    assert!(update.fragment == read(xtask::FRAGMENT_PATH), "{} is stale: {stale}", xtask::FRAGMENT_PATH);
    assert!(update.types == read(xtask::OUTPUT_PATH), "{} is stale: {stale}", xtask::OUTPUT_PATH);
    assert_eq!(update.report.changes, Some(Vec::new()), "{}", update.report);
    assert!(update.report.unmatched.is_empty(), "{}", update.report);
}
