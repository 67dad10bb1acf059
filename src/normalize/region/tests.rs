use super::gazetteer::{gazetteer, Level, Unit};
use super::*;

/// The region of `title`, and its warnings at columns from 1 of the title
/// without whitespace.
fn read_title(title: &str) -> (Region, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let region = region(
        title,
        |start, len| Position::new(1, start as u32 + 1, len as u32),
        &mut diagnostics,
    );
    (region, diagnostics)
}

/// A region of these units and code.
fn units_of(units: [Option<&str>; 4], code: Option<&str>) -> Region {
    let [province, prefecture, county, township] = units.map(|u| u.map(str::to_owned));
    Region {
        province,
        prefecture,
        county,
        township,
        code: code.map(str::to_owned),
    }
}

/// Asserts the region of `title` and that it gives no warning.
fn found(title: &str, units: [&str; 4], code: &str) {
    let (region, diagnostics) = read_title(title);
    let units = units.map(|u| (!u.is_empty()).then_some(u));
    assert_eq!(region, units_of(units, Some(code)), "{title}");
    assert_eq!(diagnostics, [], "{title}");
}

#[test]
fn the_failures_of_the_suffix_rules_are_read_at_their_real_levels() {
    found(
        "河南省郑州市金水区经八路街道履职事项清单",
        ["河南省", "郑州市", "金水区", "经八路街道"],
        "410105001",
    );
    found(
        "江苏省苏州市昆山市周市镇履职事项清单",
        ["江苏省", "苏州市", "昆山市", "周市镇"],
        "320583102",
    );
    found(
        "浙江省杭州市上城区湖滨街道履职事项清单",
        ["浙江省", "杭州市", "上城区", "湖滨街道"],
        "330102003",
    );
    found(
        "福建省漳州市芗城区东铺头街道履职事项清单",
        ["福建省", "漳州市", "芗城区", "东铺头街道"],
        "350602001",
    );
    found(
        "山东省德州市德城区新湖街道履职事项清单",
        ["山东省", "德州市", "德城区", "新湖街道"],
        "371402001",
    );
    found(
        "新疆维吾尔自治区哈密市伊州区东河街道履职事项清单",
        ["新疆维吾尔自治区", "哈密市", "伊州区", "东河街道"],
        "650502001",
    );
    found(
        "湖南省湘西土家族苗族自治州吉首市乾州街道履职事项清单",
        ["湖南省", "湘西土家族苗族自治州", "吉首市", "乾州街道"],
        "433101004",
    );
}

#[test]
fn a_prefecture_level_city_without_counties_is_the_prefecture() {
    found(
        "广东省东莞市虎门镇履职事项清单",
        ["广东省", "东莞市", "", "虎门镇"],
        "441900121",
    );
    found(
        "广东省中山市石岐街道履职事项清单",
        ["广东省", "中山市", "", "石岐街道"],
        "442000001",
    );
    found(
        "海南省儋州市那大镇履职事项清单",
        ["海南省", "儋州市", "", "那大镇"],
        "460400100",
    );
    found(
        "甘肃省嘉峪关市雄关街道履职事项清单",
        ["甘肃省", "嘉峪关市", "", "雄关街道"],
        "620201001",
    );
    found(
        "广东省东莞市履职事项清单",
        ["广东省", "东莞市", "", ""],
        "4419",
    );
}

#[test]
fn pseudo_levels_are_null() {
    found(
        "北京市朝阳区建外街道履职事项清单",
        ["北京市", "", "朝阳区", "建外街道"],
        "110105001",
    );
    found(
        "重庆市城口县葛城街道履职事项清单",
        ["重庆市", "", "城口县", "葛城街道"],
        "500229001",
    );
    found(
        "河南省济源市济源市沁园街道履职事项清单",
        ["河南省", "", "济源市", "济源市沁园街道"],
        "419001001",
    );
}

#[test]
fn units_the_title_leaves_out_are_filled_from_the_codes() {
    found(
        "哈密市伊吾县盐池镇履职事项清单",
        ["新疆维吾尔自治区", "哈密市", "伊吾县", "盐池镇"],
        "650522102",
    );
    found(
        "新疆维吾尔自治区哈密市 伊吾县盐池镇履职事项清单",
        ["新疆维吾尔自治区", "哈密市", "伊吾县", "盐池镇"],
        "650522102",
    );
    found(
        "新疆维吾尔自治区哈密市伊吾县盐池镇履职事项清单（2025年版）",
        ["新疆维吾尔自治区", "哈密市", "伊吾县", "盐池镇"],
        "650522102",
    );
    // A county-level city under its province, its prefecture left out.
    found(
        "江苏省昆山市周市镇履职事项清单",
        ["江苏省", "苏州市", "昆山市", "周市镇"],
        "320583102",
    );
    found(
        "伊吾县履职事项清单",
        ["新疆维吾尔自治区", "哈密市", "伊吾县", ""],
        "650522",
    );
    found(
        "哈密市履职事项清单",
        ["新疆维吾尔自治区", "哈密市", "", ""],
        "6505",
    );
    found(
        "新疆维吾尔自治区履职事项清单",
        ["新疆维吾尔自治区", "", "", ""],
        "65",
    );
}

#[test]
fn a_title_that_fits_two_places_keeps_its_units_and_has_no_code() {
    // Beijing and Changchun both have a 朝阳区.
    let (region, diagnostics) = read_title("朝阳区履职事项清单");
    assert_eq!(region, units_of([None, None, Some("朝阳区"), None], None));
    assert_eq!(diagnostics, []);
    let (region, _) = read_title("朝阳区建外街道履职事项清单");
    assert_eq!(region.code.as_deref(), Some("110105001"));
    assert_eq!(region.province.as_deref(), Some("北京市"));
}

#[test]
fn a_misspelt_unit_is_kept_as_written_with_the_nearest_names() {
    let (region, diagnostics) = read_title("河南省郑洲市金水区经八路街道履职事项清单");
    assert_eq!(
        region,
        units_of(
            [
                Some("河南省"),
                Some("郑洲市"),
                Some("金水区"),
                Some("经八路街道")
            ],
            None
        )
    );
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    let d = &diagnostics[0];
    assert_eq!(d.code, Code::NotInDivisions);
    assert_eq!((d.position.column, d.position.len), (4, 3));
    assert_eq!(
        d.message,
        "expected a prefecture of the division codes (2023) under 河南省, found `郑洲市`, which they do not have; the region's code is null"
    );
    let help = d.help.as_deref().unwrap();
    assert!(
        help.starts_with("the codes have under 河南省: 郑州市; "),
        "{help}"
    );

    let (region, diagnostics) = read_title("内蒙古自治区锡林郭勒盟正蓝旗上都苏木履职事项清单");
    assert_eq!(
        region,
        units_of(
            [
                Some("内蒙古自治区"),
                Some("锡林郭勒盟"),
                Some("正蓝旗"),
                Some("上都苏木")
            ],
            None
        )
    );
    let help = diagnostics[0].help.as_deref().unwrap();
    assert!(help.contains("under 正蓝旗: 上都镇"), "{help}");
}

#[test]
fn names_the_codes_do_not_have_are_split_by_their_suffixes() {
    let (region, diagnostics) = read_title("某省某市 某县某镇履职事项清单");
    assert_eq!(
        region,
        units_of(
            [Some("某省"), Some("某市"), Some("某县"), Some("某镇")],
            None
        )
    );
    assert_eq!(
        diagnostics.len(),
        1,
        "one warning for the run: {diagnostics:?}"
    );
    assert!(diagnostics[0].message.contains("found `某省某市某县某镇`"));
    assert_eq!(diagnostics[0].position.len, 8);
    // After the last unit found, the rest is the levels below it.
    let (region, diagnostics) = read_title("新疆维吾尔自治区哈密市伊吾县新市镇履职事项清单");
    assert_eq!(region.county.as_deref(), Some("伊吾县"));
    assert_eq!(region.township.as_deref(), Some("新市镇"));
    assert_eq!(region.code, None);
    assert_eq!(diagnostics[0].position.column, 15);
    // Text after a township is part of it, and it is then not found.
    let (region, diagnostics) = read_title("哈密市伊吾县盐池镇人民政府履职事项清单");
    assert_eq!(region.township.as_deref(), Some("盐池镇人民政府"));
    assert_eq!((region.code, diagnostics.len()), (None, 1));
    assert_eq!(read_title("履职事项清单"), (Region::default(), vec![]));
}

#[test]
fn a_zhou_or_shi_inside_a_name_never_splits_it() {
    for (run, expected) in [
        (
            "郑州市金水区经八路街道",
            &["郑州市", "金水区", "经八路街道"][..],
        ),
        ("苏州市昆山市周市镇", &["苏州市", "昆山市", "周市镇"]),
        ("哈密市伊州区东河街道", &["哈密市", "伊州区", "东河街道"]),
        (
            "湘西土家族苗族自治州吉首市乾州街道",
            &["湘西土家族苗族自治州", "吉首市", "乾州街道"],
        ),
        ("新都区新市镇", &["新都区", "新市镇"]),
    ] {
        assert_eq!(units(run), expected, "{run}");
    }
    let run = "伊吾县盐池镇".repeat(10_000);
    let units = units(&run);
    assert_eq!(units.len(), 20_000);
    assert!(units.chunks(2).all(|pair| pair == ["伊吾县", "盐池镇"]));
}

#[test]
fn the_units_joined_are_the_place_part_whatever_it_holds() {
    let pieces = [
        "州",
        "市",
        "县",
        "区",
        "镇",
        "乡",
        "街道",
        "自治州",
        "省",
        "郑",
        "周",
        "某",
        "伊吾县",
        "盐池镇",
        "哈密市",
        "新疆维吾尔自治区",
        "东莞市",
        "市辖区",
    ];
    let mut rng = SplitMix(7);
    for _ in 0..1_000 {
        let place: String = (0..rng.below(9))
            .map(|_| pieces[rng.below(pieces.len())])
            .collect();
        let (region, _) = read_title(&place);
        let joined: String = [
            region.province,
            region.prefecture,
            region.county,
            region.township,
        ]
        .into_iter()
        .flatten()
        .collect();
        let reading = read(&place);
        let pieces: String = reading.pieces.iter().map(|p| p.text).collect();
        assert_eq!(pieces, place);
        if reading.pieces.iter().all(|p| p.unit.is_none()) {
            assert_eq!(joined, place);
        }
    }
    let long = "某".repeat(3 * LONGEST_PLACE);
    let (region, diagnostics) = read_title(&long);
    assert_eq!(region.province.as_deref(), Some(long.as_str()));
    assert!(diagnostics[0].message.contains("…`"));
}

/// A small deterministic generator (SplitMix64), for draws with a fixed
/// seed.
struct SplitMix(u64);

impl SplitMix {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) % n as u64) as usize
    }
}

/// 2,000 townships of the codes, drawn with a fixed seed, each with its
/// real units above it (pseudo-levels left out).
fn drawn_townships() -> Vec<(&'static Unit, Vec<&'static Unit>)> {
    let townships: Vec<&Unit> = gazetteer()
        .units()
        .iter()
        .filter(|u| u.level() == Level::Township)
        .collect();
    let mut rng = SplitMix(2023);
    (0..2_000)
        .map(|_| {
            let township = townships[rng.below(townships.len())];
            (township, gazetteer().real_ancestors(township).collect())
        })
        .collect()
}

/// The region of a township and the units above it.
fn region_of(township: &Unit, above: &[&Unit], name: &str, code: Option<&str>) -> Region {
    let mut region = Region {
        township: Some(name.to_owned()),
        code: code.map(str::to_owned),
        ..Region::default()
    };
    for unit in above {
        *slot(&mut region, unit.level()) = Some(unit.name.to_owned());
    }
    assert_eq!(township.level(), Level::Township);
    region
}

#[test]
fn every_drawn_township_is_read_back_from_its_full_title() {
    for (township, above) in drawn_townships() {
        let names: String = above.iter().map(|u| u.name).collect();
        let title = format!("{names}{}履职事项清单", township.name);
        let (region, diagnostics) = read_title(&title);
        let expected = region_of(township, &above, township.name, Some(township.code));
        assert_eq!(region, expected, "{title}");
        assert_eq!(diagnostics, [], "{title}");
    }
}

#[test]
fn every_drawn_township_is_read_back_with_its_province_left_out() {
    let g = gazetteer();
    let mut unique = 0;
    for (township, above) in drawn_townships() {
        let below_province = &above[1..];
        let names: String = below_province.iter().map(|u| u.name).collect();
        let title = format!("{names}{}履职事项清单", township.name);
        let (region, diagnostics) = read_title(&title);
        // How many townships of the codes this title names: those of the
        // name with units of the same names above them.
        let same: Vec<&str> = names_of(below_province);
        let places = g
            .named(township.name)
            .filter(|t| {
                let above: Vec<&Unit> = g.real_ancestors(t).collect();
                above.len() == below_province.len() + 1 && names_of(&above[1..]) == same
            })
            .count();
        let expected = if places == 1 {
            unique += 1;
            region_of(township, &above, township.name, Some(township.code))
        } else {
            region_of(township, below_province, township.name, None)
        };
        assert_eq!(region, expected, "{title}: {places} places");
        assert_eq!(diagnostics, [], "{title}");
    }
    assert!(unique > 1_900, "{unique} of 2,000 unique");
}

fn names_of(units: &[&Unit]) -> Vec<&'static str> {
    units.iter().map(|u| u.name).collect()
}

#[test]
fn every_drawn_township_misspelt_keeps_its_units_and_has_no_code() {
    for (township, above) in drawn_townships() {
        let names: String = above.iter().map(|u| u.name).collect();
        // A character no name of the codes has, for the first.
        let misspelt: String = std::iter::once('㐀')
            .chain(township.name.chars().skip(1))
            .collect();
        let title = format!("{names}{misspelt}履职事项清单");
        let (region, diagnostics) = read_title(&title);
        assert_eq!(
            region,
            region_of(township, &above, &misspelt, None),
            "{title}"
        );
        assert_eq!(diagnostics.len(), 1, "{title}");
        let d = &diagnostics[0];
        assert_eq!(d.code, Code::NotInDivisions);
        assert_eq!(
            (d.position.column as usize, d.position.len as usize),
            (names.chars().count() + 1, misspelt.chars().count()),
            "{title}"
        );
        let county = above.last().unwrap().name;
        assert!(
            d.message.contains(&format!(
                "township of the division codes (2023) under {county}, found `{misspelt}`"
            )),
            "{title}: {}",
            d.message
        );
    }
}
