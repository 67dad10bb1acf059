//! Snapshots of the three outputs of a small edition, read and checked by
//! hand: one list of each kind, a cooperative row split over a page break
//! with its township duties cut mid-list, and a handover with two receivers.

use crate::support::convert_ok;

const EDITION: &str = "\
某省某市 某县某镇履职事项清单

中共某县委员会 某县人民政府

目 录

1. 基本履职事项清单·····\t1
2. 配合履职事项清单·····\t2
3. 上级部门收回事项清单·····\t4

某市某县某镇基本履职事项清单

序号\t事项类别\t事项名称
1\t党的建设\t加强党的 建设 and 学习
2\t经济发展\t服务市场主体|yes

某市某县某镇配合履职事项清单

序号\t事项类别\t事项名称\t对应上级部门\t上级部门职责\t乡镇配合职责
1\t民生服务\t残疾人证管理\t某市残联、某县残联\t<p>某市残联：</p> <ol style=\"list-style-type: none\"> 1. 组织清查； 2. 督查指导。 <p>某县残联：</p> <ol style=\"list-style-type: none\"> 1. 评定鉴定：由医院评定； 2. 发证。 \t<ol style=\"list-style-type: none\"> 1. 协助填表； 2. 引导鉴定； (未完见下页)

某市某县某镇配合履职事项清单

序号\t事项类别\t事项名称\t对应上级部门\t上级部门职责\t乡镇配合职责
1\t民生服务\t残疾人证管理\t某市残联、某县残联\t<p>某市残联：</p> <ol style=\"list-style-type: none\"> 1. 组织清查； 2. 督查指导。 <p>某县残联：</p> <ol style=\"list-style-type: none\"> 1. 评定鉴定：由医院评定； 2. 发证。 \t<p>（续上页）</p> <ol style=\"list-style-type: none\"> 3. 公示五个工作日； 4. 发放证件。

某市某县某镇上级部门收回事项清单

序号\t事项类别\t事项名称\t承接部门及工作方式
1\t社会保障\t就业信息统计\t某县市场监督管理局：负责创业实体信息统计。 某县人力资源和社会保障局：负责就业务工信息统计。
2\t社会保障\t对参保扩面指标的考核\t取消对参保扩面指标的考核。
";

#[test]
fn small_edition_outputs() {
    let edition = convert_ok("small.txt", EDITION.as_bytes());
    for format in qingdan::Format::ALL {
        insta::assert_snapshot!(
            format!("small_edition.{}", format.extension()),
            format.render(&edition)
        );
    }
}
