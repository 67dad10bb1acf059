//! The sample edition converts to the records its printed form shows.

use qingdan::{Duty, DutyBlock, Edition, Item, ItemSource, Region, SectionKind, TextLines};

use crate::support::{han, sample, sample_edition};

#[test]
fn sample_has_three_sections_numbered_one_to_n() {
    let edition = sample_edition();
    let shape: Vec<(SectionKind, usize, u32, u32)> = edition
        .sections
        .iter()
        .map(|s| {
            let pages = s.first_page.zip(s.last_page).expect("a text has pages");
            (s.kind, s.items.len(), pages.0, pages.1)
        })
        .collect();
    assert_eq!(
        shape,
        vec![
            (SectionKind::Basic, 109, 1, 16),
            (SectionKind::Cooperative, 108, 17, 88),
            (SectionKind::Withdrawn, 48, 89, 102),
        ]
    );
    for section in &edition.sections {
        let seqs: Vec<u32> = section.items.iter().map(|i| i.seq).collect();
        let expected: Vec<u32> = (1..=section.items.len() as u32).collect();
        assert_eq!(seqs, expected, "{:?} numbering", section.kind);
    }
}

#[test]
fn sample_region_is_found_in_the_division_codes() {
    let region = sample_edition().region;
    assert_eq!(
        region,
        Region {
            province: Some("新疆维吾尔自治区".to_owned()),
            prefecture: Some("哈密市".to_owned()),
            county: Some("伊吾县".to_owned()),
            township: Some("盐池镇".to_owned()),
            code: Some("650522102".to_owned()),
        }
    );
}

/// A numbered list's text as the cleaning rule writes it: each step after
/// its number and `sep`, with the line-wrap spaces after `；` gone.
fn numbered(steps: &[&str], sep: &str) -> String {
    steps
        .iter()
        .enumerate()
        .map(|(i, s)| format!("{}.{sep}{s}", i + 1))
        .collect()
}

fn block(heading: Option<&str>, steps: &[&str]) -> DutyBlock {
    DutyBlock {
        heading: heading.map(str::to_owned),
        steps: steps.iter().map(|s| (*s).to_owned()).collect(),
    }
}

fn duty(text: String, blocks: Vec<DutyBlock>) -> Option<Duty> {
    Some(Duty { text, blocks })
}

fn cooperative(edition: &Edition, seq: u32) -> &Item {
    let section = &edition.sections[1];
    assert_eq!(section.kind, SectionKind::Cooperative);
    &section.items[seq as usize - 1]
}

fn withdrawn(edition: &Edition, seq: u32) -> &Item {
    let section = &edition.sections[2];
    assert_eq!(section.kind, SectionKind::Withdrawn);
    &section.items[seq as usize - 1]
}

/// Counted by hand in the file: page 1 is the page header on line 13, and
/// each split row's second part opens the page after its first.
#[test]
fn split_rows_keep_the_lines_and_pages_of_both_parts() {
    let edition = sample_edition();
    let sources: Vec<(u32, ItemSource)> = [65, 67, 85, 90]
        .iter()
        .map(|&seq| (seq, cooperative(&edition, seq).source.clone()))
        .collect();
    let source = |first_line, last_line, pages: &[u32]| {
        ItemSource::Text(TextLines {
            first_line,
            last_line,
            pages: pages.to_vec(),
        })
    };
    assert_eq!(
        sources,
        vec![
            (65, source(409, 414, &[56, 57])),
            (67, source(420, 425, &[58, 59])),
            (85, source(487, 492, &[70, 71])),
            (90, source(513, 518, &[75, 76])),
        ]
    );
    // Rows that are not split have one line and one page.
    let item = cooperative(&edition, 66);
    assert_eq!(item.source, source(415, 415, &[57]));
}

#[test]
fn cut_township_duties_of_65_join_into_one_list_of_ten_steps() {
    let edition = sample_edition();
    let item = cooperative(&edition, 65);
    let township = [
        "开展退耕还林政策及法律法规宣传；",
        "与有退耕还林任务的土地承包经营权人签订退耕还林合同；",
        "由农户向村民委员会提供变更申请报告，村民委员会受理变更申请并上报镇审核；",
        "负责复审申请报告，将申请报告上报伊吾县林业和草原局；",
        "负责对变更后退耕还林政策落实情况进行监督管理；",
        "组织村协助伊吾县林业和草原局对退耕还林进行验收；",
        "对验收不合格、复耕农户开展政策宣传，通过补植补造等方式达到国家验收标准；",
        "镇调查核实补贴对象基础信息，符合政策的报伊吾县林业和草原局审定无误后，制作发放清册，录入“一卡通”系统，对不符合政策的，重新核实、调整清册；",
        "镇张榜公示审核后的发放清册，并形成公示证明材料。经相关职能站所负责人和镇主要负责人分别在汇总表上签字、加盖公章后，将汇总表、发放清册、公示证明材料报伊吾县林业和草原局审定；",
        "补贴资金发放完毕后，镇及时公示惠民惠农财政补贴资金发放情况。",
    ];
    let superior = [
        "负责按照批准后的自治区退耕还林年度实施方案，编制本行政区域内的退耕还林年度实施方案；",
        "委托镇与有退耕还林任务的土地承包经营权人签订退耕还林合同；",
        "建立退耕还林植被管护制度，落实管护责任，镇负责落实监督责任，引导农户履行管护义务，禁止在退耕还林项目实施范围内复耕和从事滥采、乱挖等破坏地表植被的活动；",
        "组织技术推广单位或者技术人员，为退耕还林提供技术指导和技术服务；",
        "会同镇对退耕还林建设项目进行检查验收；",
        "对镇上报的申请报告出具批复意见；",
        "对退耕还林还草者的退耕还林地点、面积、树种、验收结果以及补助资金发放情况，在村公示栏上张榜公示；",
        "通过“一卡通”发放补助资金；",
        "对退耕还林者的退耕还林面积、造林树种、成活率以及资金发放等情况进行公示。",
    ];
    assert_eq!(
        item.township_duties,
        duty(numbered(&township, " "), vec![block(None, &township)])
    );
    assert_eq!(
        item.superior_duties,
        duty(numbered(&superior, " "), vec![block(None, &superior)])
    );
}

#[test]
fn cut_superior_duties_of_67_keep_all_four_departments() {
    let edition = sample_edition();
    let item = cooperative(&edition, 67);
    let blocks = vec![
        block(
            Some("哈密市生态环境局伊吾县分局"),
            &[
                "负责指导开展各项污染防治，会同有关部门监督管理生态环境保护工作；",
                "对上报涉及生态环境违法行为进行调查处理。",
            ],
        ),
        block(
            Some("伊吾县农业农村局"),
            &[
                "负责做好畜禽养殖废弃物综合利用的法律法规和政策措施的宣传；",
                "提供畜禽养殖废弃物综合利用的技术指导，帮助养殖户和养殖企业提高废弃物的处理效率和资源化利用水平，对上报的畜禽养殖污染线索依法核实并查处。",
            ],
        ),
        block(
            Some("伊吾县住房和城乡建设局"),
            &["负责城市建设建筑垃圾的管理工作，依法开展巡察，对群众举报的及时查明，能找到倾倒人的依法处罚，并责令其清理，暂时找不到倾倒人的，组织力量予以清理。"],
        ),
        block(
            Some("伊吾县水利局"),
            &["负责对有关水污染防治实施监督管理。"],
        ),
    ];
    let text = headed_text(&blocks);
    assert_eq!(item.superior_duties, duty(text, blocks));
    // The township cell was not cut; its repeat on page 59 words step 1
    // differently (本行政区域, W203) and the first printing is kept.
    let township = [
        "做好本镇的污染防治宣传工作；",
        "开展日常巡查，协助相关部门开展监督检查，对发现和群众举报的环境污染行为及时制止，并上报哈密市生态环境局伊吾县分局、伊吾县农业农村局、伊吾县住房和城乡建设局、伊吾县水利局。",
    ];
    assert_eq!(
        item.township_duties,
        duty(township.concat(), vec![block(None, &township)])
    );
}

/// The text of unnumbered blocks: `heading：` and the steps, a block a line.
fn headed_text(blocks: &[DutyBlock]) -> String {
    blocks
        .iter()
        .map(|b| format!("{}：{}", b.heading.as_deref().unwrap(), b.steps.concat()))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn cut_superior_duties_of_85_keep_all_eight_departments() {
    let edition = sample_edition();
    let item = cooperative(&edition, 85);
    let blocks: Vec<DutyBlock> = [
        ("伊吾县自然资源局", "负责办理新建民宿（农家乐）建设用地审批手续。"),
        ("伊吾县林业和草原局", "负责新建民宿（农家乐）办理林草征占用审批手续。"),
        ("伊吾县住房和城乡建设局", "负责新建民宿（农家乐）依法办理施工许可证，对建设中质量和安全进行监督；负责已建成民宿（农家乐）的消防设计审查、消防验收备案。"),
        ("伊吾县市场监督管理局", "负责办理民宿（农家乐）营业执照、食品经营许可证，对证照、食品安全开展日常监督检查。"),
        ("伊吾县消防救援局", "负责监督民宿（农家乐）配置消防设施、器材，落实日常消防安全管理，履行消防安全职责。"),
        ("伊吾县公安局", "负责监督民宿业主使用治安管理信息系统做好旅客住宿实名登记。"),
        ("伊吾县文化体育广播电视和旅游局", "负责对等级民宿、星级农家乐进行评定并对其服务质量和安全生产进行监管。"),
        ("伊吾县卫生健康委员会", "负责卫生监督，并引导达到住宿场所相关规范要求的民宿（农家乐）经营者办理卫生许可证。"),
    ]
    .iter()
    .map(|(heading, step)| block(Some(heading), &[step]))
    .collect();
    let text = headed_text(&blocks);
    assert_eq!(item.superior_duties, duty(text, blocks));
    assert_eq!(
        item.superior_departments.as_ref().map(Vec::len),
        Some(8),
        "one department per block"
    );
    // Not cut; the repeat on page 71 reads 建设用地 where the first printing
    // reads 建设用 (W203); the first printing is kept as printed.
    let township = [
        "向辖区群众宣传农家乐、民宿创建标准，鼓励辖区群众积极参与；",
        "对有意向申请星级农家乐、等级民宿的主体建设用进行初审，收集营业执照、业主身份证复印件、照片等材料上报伊吾县文化体育广播电视和旅游局；",
        "组织有意向申请等级民宿业主填写的《旅游民宿等级评定申请报告》、无违法违规行为承诺书上报伊吾县文化体育广播电视和旅游局；",
        "对已创建的星级农家乐、等级民宿的安全生产活动进行监管。",
    ];
    assert_eq!(
        item.township_duties,
        duty(numbered(&township, " "), vec![block(None, &township)])
    );
}

#[test]
fn cut_superior_duties_of_90_keep_the_block_after_the_break() {
    let edition = sample_edition();
    let item = cooperative(&edition, 90);
    let government = "发生地质灾害启动《伊吾县突发性地质灾害应急预案》，成立现场救援指挥部，各工作组按照职责分工，做好综合协调、抢险救援、物资调运、技术支撑、通信和交通保障、人员安置、医疗救治、秩序维护、舆情管控等工作，并为地质灾害应急救援提供技术支撑。";
    let emergency = [
        "发生地质灾害时，提请伊吾县人民政府按照启动条件启动《伊吾县突发地质灾害应急预案》，协助伊吾县委、伊吾县人民政府指定的负责同志组织地质灾害应急处置工作；协助相关部门（单位）开展会商研判，提出具体的应急处置与救灾方案和措施建议；协调各方面力量参加地质灾害救援行动；组织相关部门（单位）开展调查评估和协调推进善后处置工作，汇集上报险情灾情和应急处置与救灾进展情况；",
        "会同伊吾县自然资源局指导镇制作“防灾避险明白卡”。",
    ];
    let resources = [
        "负责地质灾害预防和治理工作，组织编制地质灾害防治规划和防护标准并组织实施；组织开展地质灾害调查评价及隐患的普查、详查、排查工作；指导开展群测群防、专业监测、预告预警和地质灾害工程治理等工作；",
        "会同伊吾县应急管理局指导镇制作“防灾避险明白卡”。",
    ];
    let text = format!(
        "伊吾县人民政府：{government}\n伊吾县应急管理局：{}\n伊吾县自然资源局：{}",
        numbered(&emergency, " "),
        // Printed `1.负责` without a space after the number.
        numbered(&resources, ""),
    );
    assert_eq!(
        item.superior_duties,
        duty(
            text,
            vec![
                block(Some("伊吾县人民政府"), &[government]),
                block(Some("伊吾县应急管理局"), &emergency),
                block(Some("伊吾县自然资源局"), &resources),
            ]
        )
    );
    let township = [
        "对辖区地质灾害隐患点、易发区开展巡查排查，制作“防灾避险明白卡”，村向受威胁的群众、单位发放“防灾避险明白卡”；",
        "负责灾情速报，接到或发现地质灾害灾情（险情）应当及时将灾情及其发展趋势等信息报告伊吾县人民政府及伊吾县应急管理局、伊吾县自然资源局等部门；",
        "发生险情时，开展灾害先期处置，在危险区周边设立警示标志、封锁进出道路，及时组织受威胁的村民及其他人员转移到安全地带，组织开展灾后受灾群众的生活恢复工作。",
    ];
    assert_eq!(
        item.township_duties,
        duty(numbered(&township, " "), vec![block(None, &township)])
    );
}

#[test]
fn no_markup_entity_or_page_break_marker_survives_in_any_string() {
    let value = serde_json::to_value(sample_edition()).unwrap();
    let mut found = Vec::new();
    let mut strings = 0;
    crate::support::each_string(&value, "", &mut |path, s| {
        strings += 1;
        let marker = ["未完见下页", "未完待续", "转下页", "续上页", "接上页"]
            .iter()
            .any(|m| s.contains(m));
        // The sample has no `<`, `>` or `&` as text, so any is left markup.
        if marker || s.contains(['<', '>', '&']) {
            found.push(format!("{path}: {s}"));
        }
    });
    assert!(found.is_empty(), "left over:\n{}", found.join("\n"));
    assert!(strings > 5000, "walked only {strings} strings");
}

#[test]
fn structure_of_headed_numbered_and_unnumbered_duties() {
    let edition = sample_edition();
    let shape = |seq: u32| -> Vec<(Option<String>, usize)> {
        let duty = cooperative(&edition, seq).superior_duties.as_ref().unwrap();
        duty.blocks
            .iter()
            .map(|b| (b.heading.clone(), b.steps.len()))
            .collect()
    };
    assert_eq!(shape(1), vec![(None, 5)]);
    assert_eq!(
        shape(17),
        vec![
            (Some("哈密市残疾人联合会".to_owned()), 3),
            (Some("伊吾县残疾人联合会".to_owned()), 3),
        ]
    );
    // Step 1 of 伊吾县残疾人联合会 opens with a label (`评定鉴定：`) that is
    // no heading.
    let d17 = cooperative(&edition, 17).superior_duties.as_ref().unwrap();
    assert_eq!(
        d17.blocks[1].steps[0],
        "评定鉴定：由伊吾县残疾人联合会指定的定点医疗机构对申办残疾人证的申请人进行残疾评定；"
    );
    let d83 = cooperative(&edition, 83).superior_duties.as_ref().unwrap();
    assert_eq!(
        d83.blocks,
        vec![block(
            None,
            &[
                "负责广播电视惠民政策宣传工作；",
                "落实广播电视农村公共服务标准和服务流程，完善运行维护保障体系；",
                "负责广播电视设施保护、维修。",
            ]
        )]
    );
    assert_eq!(
        cooperative(&edition, 5).superior_departments,
        Some(vec![
            "伊吾县政协办公室".to_owned(),
            "伊吾县委组织部".to_owned(),
            "伊吾县委统战部".to_owned(),
        ])
    );
}

#[test]
fn withdrawn_items_are_abolished_or_handed_to_named_departments() {
    let edition = sample_edition();
    let handover = |seq: u32| withdrawn(&edition, seq).handover.clone().unwrap();
    let h8 = handover(8);
    assert_eq!(
        (h8.text.as_str(), h8.abolished, h8.receivers.len()),
        ("取消对城乡居民基本医疗保险参保扩面指标的考核。", true, 0)
    );
    let receivers = |seq: u32| -> Vec<(String, String)> {
        let h = handover(seq);
        assert!(!h.abolished, "item {seq} is handed over, not abolished");
        h.receivers
            .into_iter()
            .map(|r| (r.department, r.duty))
            .collect()
    };
    let pair = |d: &str, t: &str| (d.to_owned(), t.to_owned());
    assert_eq!(
        receivers(11),
        vec![
            pair("伊吾县市场监督管理局", "负责本行政区域创业实体信息统计。"),
            pair(
                "伊吾县人力资源和社会保障局",
                "负责本行政区域就业务工信息统计。"
            ),
        ]
    );
    assert_eq!(
        receivers(45),
        vec![
            pair("伊吾县应急管理局", "负责本行政区域加油站的隐患排查。"),
            pair("伊吾县住房和城乡建设局", "负责本行政区域加气站的隐患排查。"),
            pair(
                "伊吾县商务科技和工业信息化局",
                "负责本行政区域成品油零售经营企业安全生产检查。"
            ),
        ]
    );
}

/// One row as printed, read straight from the file without the library.
struct PrintedRow {
    section: usize,
    seq: u32,
    cells: Vec<String>,
}

/// The sample's rows: a page title line starts a page; a new title starts a
/// new section; the `序号` header row is skipped.
fn printed_rows() -> (Vec<Vec<String>>, Vec<PrintedRow>) {
    let text = sample();
    let mut headers: Vec<Vec<String>> = Vec::new();
    let mut titles: Vec<String> = Vec::new();
    let mut rows = Vec::new();
    for line in text.lines().skip(12) {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            continue;
        }
        if !line.contains('\t') {
            assert!(line.ends_with("清单"), "a page title: {line}");
            if titles.last().map(String::as_str) != Some(line) {
                titles.push(line.to_owned());
                headers.push(Vec::new());
            }
            continue;
        }
        let cells: Vec<String> = line.split('\t').map(str::to_owned).collect();
        if cells[0] == "序号" {
            *headers.last_mut().unwrap() = cells;
            continue;
        }
        assert_eq!(cells.len(), headers.last().unwrap().len(), "{line}");
        rows.push(PrintedRow {
            section: titles.len() - 1,
            seq: cells[0].trim().parse().expect("an item number"),
            cells,
        });
    }
    (headers, rows)
}

/// A cell's Han characters without tags and page-break markers.
fn printed_han(cell: &str) -> String {
    let mut text = String::new();
    let mut rest = cell;
    while let Some(at) = rest.find('<') {
        text.push_str(&rest[..at]);
        let end = rest[at..].find('>').expect("tags close on their line");
        rest = &rest[at + end + 1..];
    }
    text.push_str(rest);
    for marker in ["未完见下页", "未完待续", "转下页", "续上页", "接上页"] {
        text = text.replace(marker, "");
    }
    han(&text)
}

fn is_cut(cell: &str) -> bool {
    ["未完见下页", "未完待续", "转下页"]
        .iter()
        .any(|m| cell.contains(m))
}

/// Every Han character of every item's cells comes out once, in order: a
/// cut cell's two parts are joined, an uncut repeat adds nothing.
#[test]
fn every_han_character_of_the_source_comes_out_once_in_order() {
    let edition = sample_edition();
    let (headers, rows) = printed_rows();
    // Expected, per section, per item: the Han characters of each column.
    let mut expected: Vec<Vec<(u32, Vec<String>)>> = vec![Vec::new(); headers.len()];
    let mut cut_cells = 0;
    for row in &rows {
        let items = &mut expected[row.section];
        let cells: Vec<String> = row.cells.iter().map(|c| printed_han(c)).collect();
        match items.last_mut() {
            Some((seq, joined)) if *seq == row.seq => {
                for (column, cell) in cells.into_iter().enumerate() {
                    if cut_marks(&rows, row, column) {
                        cut_cells += 1;
                        joined[column].push_str(&cell);
                    }
                }
            }
            _ => items.push((row.seq, cells)),
        }
    }
    assert_eq!(cut_cells, 4, "the sample cuts four cells");
    let mut compared = 0;
    for (section, items) in edition.sections.iter().zip(&expected) {
        assert_eq!(section.items.len(), items.len());
        for (item, (seq, cells)) in section.items.iter().zip(items) {
            assert_eq!(item.seq, *seq);
            for (column, title) in section.columns.iter().enumerate() {
                let out = match title.as_str() {
                    "序号" => continue,
                    "事项类别" => han(item.category.as_deref().unwrap()),
                    "事项名称" => han(&item.name),
                    "对应上级部门" => {
                        han(&item.superior_departments.as_ref().unwrap().concat())
                    }
                    "上级部门职责" => duty_han(item.superior_duties.as_ref().unwrap()),
                    "乡镇配合职责" => duty_han(item.township_duties.as_ref().unwrap()),
                    "承接部门及工作方式" => {
                        let handover = item.handover.as_ref().unwrap();
                        if !handover.receivers.is_empty() {
                            let parts: String = handover
                                .receivers
                                .iter()
                                .map(|r| format!("{}{}", r.department, r.duty))
                                .collect();
                            assert_eq!(han(&parts), han(&handover.text), "receivers of {seq}");
                        }
                        han(&handover.text)
                    }
                    other => panic!("unexpected column {other}"),
                };
                assert_eq!(
                    out, cells[column],
                    "{:?} item {seq}, column {title}",
                    section.kind
                );
                compared += 1;
            }
        }
    }
    assert_eq!(compared, 109 * 2 + 108 * 5 + 48 * 3);
}

/// Did the printing of `row`'s column before this one end in a cut marker?
fn cut_marks(rows: &[PrintedRow], row: &PrintedRow, column: usize) -> bool {
    let at = rows
        .iter()
        .position(|r| std::ptr::eq(r, row))
        .expect("row is one of rows");
    is_cut(&rows[at - 1].cells[column])
}

/// A duty's Han characters, checked to be the same in its text and in its
/// headings and steps.
fn duty_han(duty: &Duty) -> String {
    let structure: String = duty
        .blocks
        .iter()
        .map(|b| format!("{}{}", b.heading.as_deref().unwrap_or(""), b.steps.concat()))
        .collect();
    assert_eq!(
        han(&structure),
        han(&without_han_numbering(&duty.text)),
        "blocks of {}",
        duty.text
    );
    han(&duty.text)
}

/// `text` without numbering in Han numerals (`（一）`), which steps drop as
/// they drop `1.`.
fn without_han_numbering(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if matches!(c, '（' | '(') {
            let inner = &rest[c.len_utf8()..];
            let digits = inner
                .chars()
                .take_while(|d| "一二三四五六七八九十".contains(*d))
                .map(char::len_utf8)
                .sum::<usize>();
            let close = inner[digits..].chars().next();
            if let Some(close @ ('）' | ')')) = close.filter(|_| digits > 0) {
                rest = &inner[digits + close.len_utf8()..];
                continue;
            }
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}
