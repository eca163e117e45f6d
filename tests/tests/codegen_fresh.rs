//! `cargo test` catches a stale `generated.rs`: the generator runs in memory
//! and its output must equal the committed file.

#[test]
fn generated_types_match_the_fragment() {
    let root = xtask::workspace_root();
    match xtask::check(&root).expect("the fragment generates") {
        xtask::Freshness::Fresh => {}
        xtask::Freshness::Stale(_) => {
            panic!("{} is stale: run `cargo xtask codegen` and commit the result", xtask::OUTPUT_PATH)
        }
    }
}
