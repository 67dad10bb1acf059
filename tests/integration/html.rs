//! The HTML pages: an edition's page, the collection page and its search,
//! the diff page.
//! The pages are parsed with `scraper` (html5ever, a browser's parser) and
//! the search is run in a real browser, headless Chromium, from disk.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use qingdan::{Edition, ItemSource, SectionKind};
use scraper::{ElementRef, Html, Selector};

use crate::support::{sample, sample_bytes, sample_edition, stderr, TestDir, SMALL_EDITION};

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
    // The region, with its division code, under the title.
    let region: Vec<String> = select(&page, "header > p")
        .iter()
        .map(|p| p.text().collect())
        .collect();
    assert!(
        region.contains(
            &"新疆维吾尔自治区 · 哈密市 · 伊吾县 · 盐池镇 · 区划代码 650522102".to_owned()
        ),
        "{region:?}"
    );
    // Each row's number is a row header; each block's duties headed lists.
    let item = select(&page, "#cooperative-17")[0];
    assert_eq!(
        text(&select(&page, "#cooperative-17 h3")[0]),
        "17. 残疾人证管理"
    );
    assert!(text(&item).contains("协调做好办证工作中的问题"));
    assert_eq!(text(&select(&page, "#basic-17 th[scope=row]")[0]), "17");
    let ItemSource::Text(lines) = &edition.sections[0].items[16].source else {
        panic!("an item of a text has lines");
    };
    assert_eq!(
        text(&select(&page, "#basic-17 td.prov")[0]),
        format!("第{}行 · 第{}页", lines.first_line, lines.pages[0])
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

    let mut new = edition.clone();
    new.sections[0].items[0].category = Some(HOSTILE[0].to_owned());
    let diff = Html::parse_document(&qingdan::diff::html::render(
        &qingdan::diff::compare(&edition, &new),
        None,
    ));
    assert!(select(&diff, "script, img").is_empty());
    let row = select(&diff, "table.changes tbody tr")[0];
    let cells: Vec<String> = row.child_elements().map(|c| text(&c)).collect();
    assert_eq!(cells, ["事项类别 category", HOSTILE[1], HOSTILE[0]]);
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

/// An edition of the sample for another township, with its 驼奶 item
/// reworded and a name whose entities decode to markup.
fn other_township() -> String {
    let text = sample()
        .replace("盐池镇", "苇子峡乡")
        .replace("驼奶", "驼乳");
    text.replacen(
        "残疾人证管理",
        "残疾人证管理&lt;script&gt;alert(1)&lt;/script&gt;",
        1,
    )
}

/// A collection of the sample and [`other_township`], built with
/// `--to html` into `out/`.
fn collection() -> TestDir {
    let dir = TestDir::new();
    dir.write("in/yanchi.txt", sample_bytes());
    dir.write("in/county/weizixia.txt", other_township());
    let run = dir.qingdan(&[
        "build", "--input", "in", "--output", "out", "--quiet", "--to", "html",
    ]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    dir
}

#[test]
fn build_to_html_writes_pages_the_index_lists_and_the_collection_page() {
    let dir = collection();
    let written: Vec<String> = crate::support::files_under(&dir.path().join("out"))
        .into_keys()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        written,
        [
            "county/weizixia.html",
            "index.html",
            "index.json",
            "index.md",
            "search-data.js",
            "yanchi.html"
        ]
    );
    let index: serde_json::Value = serde_json::from_slice(&dir.read("out/index.json")).unwrap();
    assert_eq!(
        index["editions"][0]["outputs"],
        serde_json::json!(["county/weizixia.html"])
    );
    let page = Html::parse_document(&String::from_utf8(dir.read("out/index.html")).unwrap());
    let links: Vec<&str> = select(&page, "#editions tbody a")
        .iter()
        .map(|a| a.value().attr("href").unwrap())
        .collect();
    assert_eq!(links, ["county/weizixia.html", "yanchi.html"]);
    assert_eq!(
        text(
            &select(&page, "#editions tbody tr")[0]
                .child_elements()
                .nth(1)
                .unwrap()
        ),
        "新疆维吾尔自治区 哈密市 伊吾县 苇子峡乡"
    );
    assert_eq!(
        select(&page, "script[src]")[0].value().attr("src"),
        Some("search-data.js")
    );
    let edition =
        Html::parse_document(&String::from_utf8(dir.read("out/county/weizixia.html")).unwrap());
    assert!(select(&edition, "script, img").is_empty());
    assert_eq!(
        text(&select(&edition, "#cooperative-17 h3")[0]),
        "17. 残疾人证管理<script>alert(1)</script>"
    );
    // A build without `--to` leaves the pages alone and writes no new ones.
    let again = dir.qingdan(&["build", "--input", "in", "--output", "out2", "--quiet"]);
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
    assert!(!dir.path().join("out2/index.html").exists());
    assert!(!dir.path().join("out2/yanchi.html").exists());
}

#[test]
fn html_outputs_are_the_same_bytes_whatever_the_jobs() {
    let dir = collection();
    let run = dir.qingdan(&[
        "build", "--input", "in", "--output", "one", "--quiet", "--to", "html", "--jobs", "1",
    ]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    assert_eq!(
        crate::support::files_under(&dir.path().join("out")),
        crate::support::files_under(&dir.path().join("one"))
    );
    let check = dir.qingdan(&[
        "build", "--input", "in", "--output", "out", "--check", "--to", "html",
    ]);
    assert_eq!(check.status.code(), Some(0), "{}", stderr(&check));
}

#[test]
fn an_html_file_qingdan_did_not_write_is_never_replaced() {
    let dir = TestDir::new();
    dir.write("in/yanchi.txt", sample_bytes());
    dir.write(
        "out/index.html",
        "<!DOCTYPE html><p>our intranet's front page</p>\n",
    );
    dir.write("out/yanchi.html", "<p>a page of our own</p>\n");
    let run = dir.qingdan(&[
        "build", "--input", "in", "--output", "out", "--quiet", "--to", "html",
    ]);
    assert_eq!(run.status.code(), Some(1), "{}", stderr(&run));
    assert!(stderr(&run).contains("out/yanchi.html"), "{}", stderr(&run));
    assert!(stderr(&run).contains("out/index.html"), "{}", stderr(&run));
    assert_eq!(dir.read("out/yanchi.html"), b"<p>a page of our own</p>\n");
    assert_eq!(
        dir.read("out/index.html"),
        b"<!DOCTYPE html><p>our intranet's front page</p>\n"
    );
}

#[test]
fn diff_to_html_marks_changed_characters_side_by_side() {
    let dir = TestDir::new();
    dir.write("old.txt", sample_bytes());
    let long = "开展高龄津贴政策宣传";
    assert!(sample().contains(long));
    dir.write(
        "new.txt",
        sample().replacen(long, "开展高龄津贴政策入户宣传", 1),
    );
    let run = dir.qingdan(&["diff", "old.txt", "new.txt", "--to", "html"]);
    assert_eq!(run.status.code(), Some(1), "{}", stderr(&run));
    let page = Html::parse_document(&String::from_utf8(run.stdout).unwrap());
    let summary: Vec<String> = select(&page, "#summary tfoot td")
        .iter()
        .map(text)
        .collect();
    assert_eq!(summary, ["0", "0", "1", "0"]);
    // Each list by its title, as its readers know it.
    let lists: Vec<String> = select(&page, "#summary tbody th")
        .iter()
        .map(text)
        .collect();
    let titles: Vec<String> = sample_edition()
        .sections
        .iter()
        .map(|s| s.title.clone())
        .collect();
    assert_eq!(lists, titles);
    // The field by its column title, the contract's name beside it.
    assert_eq!(
        text(&select(&page, "#cooperative table.changes th span")[0]),
        "上级部门职责"
    );
    assert_eq!(
        text(&select(&page, "table.changes th code")[0]),
        "superior_duties"
    );
    // No pages beside the inputs: no links to them.
    assert!(select(&page, "p.pages").is_empty());
    assert!(select(&page, "#cooperative table.changes del").is_empty());
    let inserted: Vec<String> = select(&page, "#cooperative table.changes ins")
        .iter()
        .map(text)
        .collect();
    assert_eq!(inserted, ["入户"]);
    // The long unchanged rest is folded, and still there to read.
    let folds = select(&page, "#cooperative .fold");
    assert!(!folds.is_empty());
    assert!(folds[0]
        .value()
        .attr("title")
        .is_some_and(|t| t.chars().count() > 12));
}

#[test]
fn a_diff_page_in_a_site_links_both_editions_pages_item_by_item() {
    let dir = TestDir::new();
    dir.write("in/yanchi.txt", sample_bytes());
    dir.write("in/county/weizixia.txt", other_township());
    let run = dir.qingdan(&[
        "build",
        "--input",
        "in",
        "--output",
        "out",
        "-q",
        "--to",
        "json,html",
    ]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    // The diff page of `out/yanchi.json` and `out/{new}`.
    let diff_page = |new: &str| {
        let run = dir.qingdan(&[
            "diff",
            "out/yanchi.json",
            &format!("out/{new}"),
            "--to",
            "html",
        ]);
        assert_eq!(run.status.code(), Some(1), "{}", stderr(&run));
        Html::parse_document(&String::from_utf8(run.stdout).unwrap())
    };
    let page = diff_page("county/weizixia.json");
    assert!(
        select(&page, "p.pages").is_empty(),
        "the pages are in two folders"
    );

    // Both editions in one folder of the site: links to both pages.
    let other = dir.read("out/county/weizixia.json");
    dir.write("out/weizixia.json", &other);
    dir.write("out/weizixia.html", dir.read("out/county/weizixia.html"));
    let page = diff_page("weizixia.json");
    let hrefs = |selector: &str| -> Vec<String> {
        select(&page, selector)
            .iter()
            .filter_map(|a| a.value().attr("href").map(str::to_owned))
            .collect()
    };
    assert_eq!(hrefs("h1 + p.pages a"), ["yanchi.html", "weizixia.html"]);
    // The 驼奶 item, reworded: linked to its place on both pages.
    let changed = hrefs("#cooperative p.pages a, #basic p.pages a");
    assert!(!changed.is_empty());
    for href in &changed {
        let (file, anchor) = href.split_once('#').expect("an item anchor");
        let target =
            Html::parse_document(&String::from_utf8(dir.read(&format!("out/{file}"))).unwrap());
        assert_eq!(
            select(&target, &format!("[id=\"{anchor}\"]")).len(),
            1,
            "{href} is on its page"
        );
    }
    // A page not qingdan's is not linked to.
    dir.write("out/weizixia.html", "<p>our own page</p>\n");
    assert!(select(&diff_page("weizixia.json"), "p.pages").is_empty());
}

/// The headless Chromium to run pages in, if there is one. CI must have it
/// (`.ci/run` installs Debian's `chromium`); elsewhere a notice says the
/// browser test is skipped.
fn chromium() -> Option<&'static str> {
    let found = Command::new("chromium")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI needs chromium for the browser tests (`.ci/run` installs it)"
        );
        eprintln!("notice: chromium not found; browser test skipped");
    }
    found.then_some("chromium")
}

/// The DOM of `page?query` after its scripts ran, and what Chromium logged.
fn dump_dom(browser: &str, page: &Path, query: &str, profile: &Path) -> (Html, String) {
    let mut url = format!("file://{}", page.display());
    if !query.is_empty() {
        let encoded: String = query
            .bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' => (b as char).to_string(),
                _ => format!("%{b:02X}"),
            })
            .collect();
        url = format!("{url}?q={encoded}");
    }
    let output = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--enable-logging=stderr",
            "--v=0",
            "--virtual-time-budget=5000",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(&url)
        .output()
        .expect("chromium runs");
    assert!(output.status.success(), "{}", stderr(&output));
    let log = stderr(&output);
    let dom = String::from_utf8(output.stdout).unwrap();
    (Html::parse_document(&dom), log)
}

/// What the page's console said (its messages and uncaught errors).
fn console(log: &str) -> Vec<&str> {
    log.lines().filter(|l| l.contains(":CONSOLE")).collect()
}

/// The pages and anchors of the items whose name, category or text holds
/// every term, over the collection's editions.
fn expected_matches(editions: &[(&str, Edition)], terms: &[&str]) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for (page, edition) in editions {
        for section in &edition.sections {
            for item in &section.items {
                let value = serde_json::to_value(item).unwrap();
                let mut strings = Vec::new();
                crate::support::each_string(&value, "", &mut |path, s| {
                    if !path.contains(".source")
                        && !path.contains(".blocks")
                        && !path.contains(".receivers")
                    {
                        strings.push(s.to_owned());
                    }
                });
                let haystack = strings.join("\n");
                if terms.iter().all(|t| haystack.contains(t)) {
                    found.insert(format!("{page}#{}-{}", section.kind.as_str(), item.seq));
                }
            }
        }
    }
    found
}

#[test]
fn chromium_shows_exactly_the_matching_items_of_a_query_from_disk() {
    let Some(browser) = chromium() else { return };
    let dir = collection();
    let editions = [
        (
            "county/weizixia.html",
            crate::support::convert_ok("x.txt", other_township().as_bytes()),
        ),
        ("yanchi.html", sample_edition()),
    ];
    let page = dir.path().join("out/index.html");
    let profile = dir.path().join("profile");
    for (query, terms, rows) in [
        ("驼奶", vec!["驼奶"], vec!["yanchi.html"]),
        (
            "残疾人证",
            vec!["残疾人证"],
            vec!["county/weizixia.html", "yanchi.html"],
        ),
        (
            "苇子峡 残疾人证",
            vec!["残疾人证"],
            vec!["county/weizixia.html"],
        ),
    ] {
        let (dom, log) = dump_dom(browser, &page, query, &profile);
        assert_eq!(
            console(&log),
            Vec::<&str>::new(),
            "no console messages for {query}"
        );
        let shown: BTreeSet<String> = select(&dom, "#matches a")
            .iter()
            .map(|a| a.value().attr("href").unwrap().to_owned())
            .collect();
        let mut expected = expected_matches(&editions, &terms);
        if query.starts_with("苇子峡") {
            expected.retain(|m| m.starts_with("county/"));
        }
        assert!(!expected.is_empty());
        assert_eq!(shown, expected, "the matches of {query}");
        let visible: Vec<&str> = select(&dom, "#editions tbody tr:not([hidden])")
            .iter()
            .map(|r| r.value().attr("data-page").unwrap())
            .collect();
        assert_eq!(visible, rows, "the editions of {query}");
        assert!(
            select(&dom, "#no-match[hidden]").len() == 1,
            "{query} matches"
        );
        assert_eq!(select(&dom, "#q")[0].value().attr("value"), None);
        assert!(
            select(&dom, "form#search[hidden]").is_empty(),
            "the search box is shown"
        );
    }
    // The script sets the box to the query from the address.
    let (dom, _) = dump_dom(browser, &page, "驼奶", &profile);
    assert!(select(&dom, "#results[hidden]").is_empty());

    let (dom, log) = dump_dom(browser, &page, "没有这个词", &profile);
    assert_eq!(console(&log), Vec::<&str>::new());
    assert!(select(&dom, "#matches li").is_empty());
    let no_match = select(&dom, "#no-match");
    assert_eq!(no_match[0].value().attr("hidden"), None, "no match is said");
    assert!(select(&dom, "#editions tbody tr:not([hidden])").is_empty());

    // No query: everything, as without JavaScript.
    let (dom, log) = dump_dom(browser, &page, "", &profile);
    assert_eq!(console(&log), Vec::<&str>::new());
    assert_eq!(select(&dom, "#editions tbody tr:not([hidden])").len(), 2);
    assert_eq!(select(&dom, "#results[hidden]").len(), 1);
}

#[test]
fn without_javascript_the_collection_page_lists_every_edition_unfiltered() {
    let dir = collection();
    let page = Html::parse_document(&String::from_utf8(dir.read("out/index.html")).unwrap());
    assert_eq!(select(&page, "#editions tbody tr:not([hidden])").len(), 2);
    // The search box and results appear only when the script runs.
    assert_eq!(select(&page, "form#search[hidden]").len(), 1);
    assert_eq!(select(&page, "#results[hidden]").len(), 1);
    let data = String::from_utf8(dir.read("out/search-data.js")).unwrap();
    assert!(data.starts_with(qingdan::html::SEARCH_DATA_SIGNATURE));
    // Strings both editions share are written once.
    let name = "制订本镇经济和产业发展规划";
    assert_eq!(data.matches(name).count(), 2, "驼奶 and 驼乳 versions");
    assert_eq!(data.matches("协调做好办证工作中的问题").count(), 1);
}
