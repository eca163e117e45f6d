//! The pager over three pages, and over servers whose cursors cannot end:
//! an empty page that claims more, a repeated cursor, a cycle.

use videos_core::{ListVideos, Pager, PaginationError};
use videos_types::VideoList;

fn page(ids: &[&str], has_more: bool) -> VideoList {
    let data: Vec<_> = ids
        .iter()
        .map(|id| {
            serde_json::json!({"id": id, "object": "video", "model": "sora-2", "status": "completed", "progress": 100,
                "created_at": 1, "size": "720x1280", "seconds": "4"})
        })
        .collect();
    serde_json::from_value(serde_json::json!({
        "object": "list", "data": data, "first_id": ids.first(), "last_id": ids.last(), "has_more": has_more,
    }))
    .unwrap()
}

/// The cursors requested, and the error that ended the walk, if any.
fn walk(first: ListVideos, pages: &[VideoList]) -> (Vec<Option<String>>, Option<PaginationError>) {
    let mut pager = Pager::new(first);
    let mut cursors = Vec::new();
    let mut pages = pages.iter();
    while let Some(request) = pager.next_request() {
        cursors.push(request.after.clone());
        let page = pages.next().expect("asked for a page past the end");
        if let Err(e) = pager.handle_page(page) {
            return (cursors, Some(e));
        }
    }
    (cursors, None)
}

#[test]
fn three_pages_follow_last_id() {
    let pages = [page(&["a", "b"], true), page(&["c", "d"], true), page(&["e"], false)];
    assert_eq!(walk(ListVideos::new().limit(2), &pages), (vec![None, Some("b".into()), Some("d".into())], None));
}

#[test]
fn an_empty_page_that_claims_more_is_an_error() {
    let pages = [page(&["a"], true), page(&[], true)];
    let (cursors, error) = walk(ListVideos::new(), &pages);
    assert_eq!(cursors.len(), 2);
    let error = error.expect("no cursor to go on from");
    assert_eq!((error.pages, error.cursor), (2, None));
}

#[test]
fn a_repeated_cursor_is_an_error() {
    let pages = [page(&["a"], true), page(&["a"], true)];
    let (cursors, error) = walk(ListVideos::new(), &pages);
    assert_eq!(cursors.len(), 2);
    assert_eq!(error.expect("a repeated cursor").cursor.as_deref(), Some("a"));
}

#[test]
fn cycling_cursors_end_with_an_error_not_a_loop() {
    // a, b, a, b, … forever: the walk must stop at the first return.
    let cycle: Vec<VideoList> = (0..100).map(|i| page(&[if i % 2 == 0 { "a" } else { "b" }], true)).collect();
    let (cursors, error) = walk(ListVideos::new(), &cycle);
    assert_eq!(cursors, [None, Some("a".into()), Some("b".into())]);
    let error = error.expect("a cycle");
    assert_eq!(error.cursor.as_deref(), Some("a"));
    assert!(error.to_string().starts_with("the listing stopped after 3 pages"), "{error}");
}

#[test]
fn a_walk_starting_after_a_cursor_does_not_go_back_to_it() {
    let pages = [page(&["x"], true)];
    let (_, error) = walk(ListVideos::new().after("x"), &pages);
    assert_eq!(error.expect("back to the start").cursor.as_deref(), Some("x"));
}

#[test]
fn the_cursor_falls_back_to_the_last_item() {
    let mut first = page(&["a", "b"], true);
    first.last_id = None;
    let pages = [first, page(&["c"], false)];
    assert_eq!(walk(ListVideos::new(), &pages), (vec![None, Some("b".into())], None));
}
