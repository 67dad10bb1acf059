//! The HTML pages, parsed with `scraper` (html5ever, a browser's parser).

use std::collections::BTreeSet;

use qingdan::{Edition, SectionKind};
use scraper::{ElementRef, Html, Selector};

use crate::support::{sample_bytes, sample_edition, stderr, TestDir, SMALL_EDITION};

fn select<'a>(document: &'a Html, selector: &str) -> Vec<ElementRef<'a>> {
    let selector = Selector::parse(selector).expect("a valid selector");
    document.select(&selector).collect()
}

fn text(element: &ElementRef<'_>) -> String {
    element.text().collect()
}

fn edition_page(edition: &Edition) -> Html {
    Html::parse_document(&qingdan::html::edition(edition, &[]))
}

#[test]
fn every_item_of_the_sample_is_one_row_or_block_with_its_anchor() {
    let edition = sample_edition();
    let page = edition_page(&edition);
    let ids = |selector: &str| -> Vec<String> {
        select(&page, selector)
            .iter()
            .map(|e| e.value().id().expect("an anchor").to_owned())
            .collect()
    };
    let expected = |kind: SectionKind| -> Vec<String> {
        let section = edition.sections.iter().find(|s| s.kind == kind).unwrap();
        section
            .items
            .iter()
            .map(|i| format!("{}-{}", kind.as_str(), i.seq))
            .collect()
    };
    let basic = ids("section#basic > .scroll > table > tbody > tr");
    let cooperative = ids("section#cooperative > article.item");
    let withdrawn = ids("section#withdrawn > .scroll > table > tbody > tr");
    assert_eq!(
        (basic.len(), cooperative.len(), withdrawn.len()),
        (109, 108, 48)
    );
    assert_eq!(basic, expected(SectionKind::Basic));
    assert_eq!(cooperative, expected(SectionKind::Cooperative));
    assert_eq!(withdrawn, expected(SectionKind::Withdrawn));
    assert!(basic.contains(&"basic-17".to_owned()));
    assert!(cooperative.contains(&"cooperative-65".to_owned()));
    // Each row's number is a row header; each block's duties headed lists.
    let item = select(&page, "#cooperative-17")[0];
    assert_eq!(
        text(&select(&page, "#cooperative-17 h3")[0]),
        "17. 残疾人证管理"
    );
    assert!(text(&item).contains("协调做好办证工作中的问题"));
    assert_eq!(text(&select(&page, "#basic-17 th[scope=row]")[0]), "17");
    assert_eq!(
        text(&select(&page, "#basic-17 td.prov")[0]),
        format!(
            "第{}行 · 第{}页",
            edition.sections[0].items[16].source.first_line,
            edition.sections[0].items[16].source.pages[0]
        )
    );
    // The page says what it is: language, one h1, the contents linked.
    assert_eq!(select(&page, "html")[0].value().attr("lang"), Some("zh-CN"));
    assert_eq!(select(&page, "h1").len(), 1);
    let contents: Vec<&str> = select(&page, "nav a")
        .iter()
        .map(|a| a.value().attr("href").unwrap())
        .collect();
    assert_eq!(contents, ["#basic", "#cooperative", "#withdrawn"]);
    assert!(select(&page, "th[scope=col]").len() >= 3 + 4);
    assert!(
        select(&page, "script, link, img").is_empty(),
        "self-contained"
    );
}

#[test]
fn warnings_are_listed_at_the_top_and_shown_at_their_items() {
    let conversion = crate::support::convert("hami-yiwu-yanchi.txt", &sample_bytes());
    let edition = conversion.edition.as_ref().unwrap();
    let page = Html::parse_document(&qingdan::html::edition(edition, &conversion.diagnostics));
    let listed = select(&page, "#warnings li");
    assert_eq!(listed.len(), 6);
    let shown = select(&page, "main .warning");
    assert_eq!(
        shown.len(),
        6,
        "every warning of the sample is about an item"
    );
    let ids: BTreeSet<&str> = select(&page, "[id]")
        .iter()
        .map(|e| e.value().id().unwrap())
        .collect();
    for li in &listed {
        let hrefs: Vec<&str> = select(&page, "#warnings li a")
            .iter()
            .filter(|a| li.descendants().any(|d| d.id() == a.id()))
            .map(|a| a.value().attr("href").unwrap())
            .collect();
        for href in hrefs {
            assert!(ids.contains(&href[1..]), "{href} leads somewhere");
        }
    }
    // W204 at line 16 is basic item 1's; its row is marked.
    assert!(text(&select(&page, "#basic-1 .warning")[0]).starts_with("W204 "));
    assert_eq!(
        select(&page, "#basic-1")[0].value().attr("class"),
        Some("has-warning")
    );
}

/// Strings that would be markup if they were not escaped.
const HOSTILE: [&str; 3] = [
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(1)>",
    "' onmouseover='alert(1)",
];

#[test]
fn markup_in_any_cell_comes_out_of_every_page_as_text() {
    let mut edition = crate::support::convert_ok("small.txt", SMALL_EDITION.as_bytes());
    edition.title = HOSTILE[0].to_owned();
    for section in &mut edition.sections {
        section.columns[1] = HOSTILE[2].to_owned();
        for item in &mut section.items {
            item.name = HOSTILE[0].to_owned();
            item.category = Some(HOSTILE[1].to_owned());
        }
    }
    let page = edition_page(&edition);
    assert!(select(&page, "script, img").is_empty());
    assert_eq!(text(&select(&page, "h1")[0]), HOSTILE[0]);
    assert_eq!(text(&select(&page, "title")[0]), HOSTILE[0]);
    assert_eq!(text(&select(&page, "#basic-1 td")[0]), HOSTILE[1]);
    assert_eq!(text(&select(&page, "#basic-1 td")[1]), HOSTILE[0]);
    assert_eq!(text(&select(&page, "#basic thead th")[1]), HOSTILE[2]);
    assert_eq!(
        text(&select(&page, "#cooperative-1 h3")[0]),
        format!("1. {}", HOSTILE[0])
    );
    assert_eq!(text(&select(&page, "#cooperative-1 dd")[0]), HOSTILE[1]);
}

#[test]
fn convert_to_html_writes_the_page_with_its_warnings_and_replaces_only_its_own() {
    let dir = TestDir::new();
    dir.write("in/yanchi.txt", sample_bytes());
    dir.write("mine/yanchi.html", "<p>a page of our own</p>\n");
    let run = dir.qingdan(&["convert", "in/yanchi.txt", "-o", "mine", "--to", "html"]);
    assert_eq!(run.status.code(), Some(1), "{}", stderr(&run));
    assert!(
        stderr(&run).contains("mine/yanchi.html"),
        "{}",
        stderr(&run)
    );
    assert_eq!(dir.read("mine/yanchi.html"), b"<p>a page of our own</p>\n");

    let run = dir.qingdan(&["convert", "in/yanchi.txt", "-o", "conv", "--to", "html"]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let page = dir.read("conv/yanchi.html");
    let conversion = crate::support::convert("in/yanchi.txt", &sample_bytes());
    let expected = qingdan::html::edition(
        conversion.edition.as_ref().unwrap(),
        &conversion.diagnostics,
    );
    assert!(
        page == expected.as_bytes(),
        "the page as the library renders it"
    );
    assert!(String::from_utf8(page.clone()).unwrap().starts_with(
        "<!DOCTYPE html>\n<!-- generated by qingdan; edits are overwritten when it runs again -->\n<html lang=\"zh-CN\">"
    ));
    // Its own page, edited, it replaces: the signature says whose it is.
    dir.write("conv/yanchi.html", [&page[..], b"<!-- edited -->"].concat());
    let again = dir.qingdan(&["convert", "in/yanchi.txt", "-o", "conv", "--to", "html"]);
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
    assert_eq!(dir.read("conv/yanchi.html"), page);
}
