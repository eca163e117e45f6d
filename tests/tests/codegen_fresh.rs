//! `cargo test` catches a stale `generated.rs` or transport `surface.rs`:
//! the generator runs in memory and its output must equal the committed files.

#[test]
fn generated_types_match_the_fragment() {
    let root = xtask::workspace_root();
    match xtask::check(&root).expect("the fragment generates") {
        xtask::Freshness::Fresh => {}
        xtask::Freshness::Stale(_) => {
            panic!("{} or a surface.rs is stale: run `cargo xtask codegen` and commit the result", xtask::OUTPUT_PATH)
        }
    }
}
