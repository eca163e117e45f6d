//! The pager over three pages, an empty page, and a repeating cursor.

use videos_core::{ListVideos, Pager};
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

fn walk(first: ListVideos, pages: &[VideoList]) -> Vec<Option<String>> {
    let mut pager = Pager::new(first);
    let mut cursors = Vec::new();
    let mut pages = pages.iter();
    while let Some(request) = pager.next_request() {
        cursors.push(request.after.clone());
        let page = pages.next().expect("asked for a page past the end");
        pager.handle_page(page);
    }
    cursors
}

#[test]
fn three_pages_follow_last_id() {
    let pages = [page(&["a", "b"], true), page(&["c", "d"], true), page(&["e"], false)];
    assert_eq!(walk(ListVideos::new().limit(2), &pages), [None, Some("b".into()), Some("d".into())]);
}

#[test]
fn an_empty_page_ends_the_walk_even_if_it_claims_more() {
    let pages = [page(&["a"], true), page(&[], true)];
    assert_eq!(walk(ListVideos::new(), &pages).len(), 2);
}

#[test]
fn a_repeated_cursor_ends_the_walk() {
    let pages = [page(&["a"], true), page(&["a"], true)];
    assert_eq!(walk(ListVideos::new(), &pages).len(), 2);
}

#[test]
fn the_cursor_falls_back_to_the_last_item() {
    let mut first = page(&["a", "b"], true);
    first.last_id = None;
    let pages = [first, page(&["c"], false)];
    assert_eq!(walk(ListVideos::new(), &pages), [None, Some("b".into())]);
}
