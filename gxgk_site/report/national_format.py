"""The national format of the 政府信息公开工作年度报告 (国办公开办函〔2021〕30号), as data.

Every label is verbatim, with its full-width punctuation; the page, the CSV, the JSON, the text
output and the checks all read them from here. (Not the 2019 trial format, whose columns were
本年新制作数量/本年新公开数量/对外公开总数量.)
"""

from __future__ import annotations

from dataclasses import dataclass

SECTIONS: tuple[str, ...] = (
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
)

# ---- table 二: four blocks ----


@dataclass(frozen=True, slots=True)
class Block:
    title: str  # e.g. 第二十条第（一）项
    header: tuple[str, ...]  # 信息内容 and the value columns
    rows: tuple[tuple[str, str], ...]  # (key, label)


TABLE2: tuple[Block, ...] = (
    Block("第二十条第（一）项", ("信息内容", "本年制发件数", "本年废止件数", "现行有效件数"),
          (("rules", "规章"), ("normative", "行政规范性文件"))),
    Block("第二十条第（五）项", ("信息内容", "本年处理决定数量"),
          (("licensing", "行政许可"),)),
    Block("第二十条第（六）项", ("信息内容", "本年处理决定数量"),
          (("penalty", "行政处罚"), ("coercion", "行政强制"))),
    Block("第二十条第（八）项", ("信息内容", "本年收费金额（单位：万元）"),
          (("fees", "行政事业性收费"),)),
)

# ---- table 三 ----

TABLE3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
APPLICANT_HEADER = "申请人情况"
NATURAL_PERSON = "自然人"
ORGANISATIONS_HEADER = "法人或其他组织"
ORGANISATION_TYPES: tuple[str, ...] = (
    "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")
APPLICANT_TYPES: tuple[str, ...] = (NATURAL_PERSON, *ORGANISATION_TYPES)
TOTAL = "总计"
COLUMNS: tuple[str, ...] = (*APPLICANT_TYPES, TOTAL)  # the seven value columns, in order


@dataclass(frozen=True, slots=True)
class Row:
    key: str  # stable id, used in the CSV/JSON and in data/reports/YEAR.yaml
    label: str  # verbatim
    group: str | None = None  # （三）不予公开 etc. for numbered sub-rows
    outcome: bool = False  # a 办理结果 that one application can have


RESULTS_LABEL = "三、本年度办理结果"
_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("（三）不予公开", ("1.属于国家秘密", "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”",
                  "4.保护第三方合法权益", "5.属于三类内部事务信息", "6.属于四类过程性信息",
                  "7.属于行政执法案卷", "8.属于行政查询事项")),
    ("（四）无法提供", ("1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作",
                  "3.补正后申请内容仍不明确")),
    ("（五）不予处理", ("1.信访举报投诉类申请", "2.重复申请", "3.要求提供公开出版物",
                  "4.无正当理由大量反复申请", "5.要求行政机关确认或重新出具已获取信息")),
    ("（六）其他处理", ("1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
                  "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
                  "3.其他")),
)
_GROUP_KEYS = {"（三）不予公开": "withheld", "（四）无法提供": "unavailable",
               "（五）不予处理": "not_handled", "（六）其他处理": "other_handling"}

OUTCOME_ROWS: tuple[Row, ...] = (
    Row("disclosed", "（一）予以公开", outcome=True),
    Row("partly_disclosed", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        outcome=True),
    *(Row(f"{_GROUP_KEYS[group]}_{label.split('.', 1)[0]}", label, group, True)
      for group, labels in _GROUPS for label in labels),
)
NEW_ROW = Row("new", "一、本年新收政府信息公开申请数量")
CARRIED_IN_ROW = Row("carried_in", "二、上年结转政府信息公开申请数量")
RESULTS_TOTAL_ROW = Row("results_total", "（七）总计")
CARRIED_OUT_ROW = Row("carried_out", "四、结转下年度继续办理")
TABLE3_ROWS: tuple[Row, ...] = (NEW_ROW, CARRIED_IN_ROW, *OUTCOME_ROWS, RESULTS_TOTAL_ROW,
                                CARRIED_OUT_ROW)
GROUP_LABELS: tuple[str, ...] = tuple(group for group, _ in _GROUPS)

# ---- table 四 ----

RESULT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("upheld", "结果维持"), ("corrected", "结果纠正"), ("other", "其他结果"),
    ("pending", "尚未审结"), ("total", "总计"))
REVIEW = ("review", "行政复议")
LITIGATION = "行政诉讼"
LITIGATION_GROUPS: tuple[tuple[str, str], ...] = (
    ("litigation_direct", "未经复议直接起诉"), ("litigation_after_review", "复议后起诉"))
TABLE4_GROUPS: tuple[tuple[str, str], ...] = (REVIEW, *LITIGATION_GROUPS)


def outcome_names(row: Row) -> set[str]:
    """The ways a ledger may name an outcome: the label as printed, without its number, and
    with its group ("不予公开/属于国家秘密")."""
    label = row.label
    bare = label.split(".", 1)[1] if row.group else label.split("）", 1)[-1]
    names = {label, bare}
    if row.key == "partly_disclosed":
        names.add("部分公开")
    if row.group:
        group_bare = row.group.split("）", 1)[-1]
        names |= {f"{group_bare}/{bare}", f"{row.group}{label}", f"{row.group} {label}"}
    return names

