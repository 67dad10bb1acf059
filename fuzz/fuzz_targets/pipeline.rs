//! The whole pipeline on arbitrary bytes: decode → parse → assemble →
//! normalize → validate → schema check → emit. Any panic is a bug; so is an
//! edition that breaks the output schema (`E010`), or an output in one format
//! that a second conversion would not give byte for byte.

#![no_main]

use libfuzzer_sys::fuzz_target;
use qingdan::{Code, Format, Options};

fuzz_target!(|bytes: &[u8]| {
    let options = Options::default();
    let conversion = qingdan::convert("fuzz.txt", bytes, &options);
    let lines = conversion.text.as_deref().map(qingdan::SourceLines::new);
    for d in &conversion.diagnostics {
        assert_ne!(d.code, Code::Schema, "schema broken: {d}");
        let _ = match &lines {
            Some(lines) => lines.render_human("fuzz.txt", d, false),
            None => qingdan::render_human("fuzz.txt", None, d, false),
        };
    }
    let _ = qingdan::render_json("fuzz.txt", &conversion.diagnostics);
    if let Some(edition) = &conversion.edition {
        for format in Format::ALL {
            let _ = format.render(edition);
        }
    }
});
