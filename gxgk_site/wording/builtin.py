"""gxgk's own list of serious misspellings (严重表述错误): the name of the country, of national
bodies, and of laws and regulations, with their right forms.

Versioned: ``VERSION`` changes whenever an entry is added, changed or removed, and messages name
it, so a finding can be traced to the list that made it. Two kinds of entries:

- ``MISSPELLINGS``: a wrong form and its right form, found wherever the wrong form stands (e.g.
  《中华人民共和国政府信息公开工作条例》, a misnaming that local rules copy from each other).
- ``NAMES``: right forms of at least four characters. Any text of the same length that differs
  from one of them in a single character of the same sound (中华人民共合国, 国务院办工厅: what a
  pinyin input method makes of a slip) is a near-miss, reported with the right form. The name
  of a law or regulation (ending in 法 or 条例) is looked for only as a title, before 》: a slip
  of its last character is everyday text otherwise (劳动合同发生变更).

Short forms in common official use (人力资源社会保障部, 国家发展改革委, 《政府信息公开条例》,
保密法) are right and never listed as wrong. Every wrong form is also found in Traditional
characters (the mirror's script, and that of some attachments).
"""

from __future__ import annotations

VERSION = "2025.11-1"

# wrong form -> right form
MISSPELLINGS: dict[str, str] = {
    # the country
    "中华人民共合国": "中华人民共和国",
    "中华人名共和国": "中华人民共和国",
    "中华人民共和囯": "中华人民共和国",
    "中华民共和国": "中华人民共和国",
    "中华人民和国": "中华人民共和国",
    # national bodies
    "国务院办工厅": "国务院办公厅",
    "国务院办公听": "国务院办公厅",
    "全国人民代表大会常委委员会": "全国人民代表大会常务委员会",
    "全国人大常务委员会": "全国人民代表大会常务委员会",
    "中国人民政治协商会议全国委员会常委会": "中国人民政治协商会议全国委员会常务委员会",
    "人力资源与社会保障部": "人力资源和社会保障部",
    "人力资源和社会保证部": "人力资源和社会保障部",
    "国家发展与改革委员会": "国家发展和改革委员会",
    "国家卫生和健康委员会": "国家卫生健康委员会",
    "住房与城乡建设部": "住房和城乡建设部",
    "文化与旅游部": "文化和旅游部",
    "国家市场监督总局": "国家市场监督管理总局",
    "最高人民检查院": "最高人民检察院",
    # laws and regulations
    "中华人民共和国政府信息公开工作条例": "中华人民共和国政府信息公开条例",
    "中华人民共和国信息公开工作条例": "中华人民共和国政府信息公开条例",
    "中华人民共和国信息公开条例": "中华人民共和国政府信息公开条例",
    "政府信息公开工作条例": "政府信息公开条例",
    "中华人民共和国保密法": "中华人民共和国保守国家秘密法",
    "中华人民共和国劳动合同条例": "中华人民共和国劳动合同法",
    "中华人民共和国社会保险条例": "中华人民共和国社会保险法",
    "中华人民共和国个人信息保密法": "中华人民共和国个人信息保护法",
    "中华人民共和国行政复议条例": "中华人民共和国行政复议法",
    "中华人民共和国劳动争议仲裁法": "中华人民共和国劳动争议调解仲裁法",
    "重大行政决策程序条例": "重大行政决策程序暂行条例",
}

# right forms whose one-character homophone slips are near-misses
NAMES: tuple[str, ...] = (
    "中华人民共和国",
    "中国共产党",
    "中共中央",
    "中共中央办公厅",
    "全国人民代表大会",
    "全国人民代表大会常务委员会",
    "中国人民政治协商会议",
    "国务院办公厅",
    "中央军事委员会",
    "国家监察委员会",
    "最高人民法院",
    "最高人民检察院",
    "人力资源和社会保障部",
    "国家发展和改革委员会",
    "国家卫生健康委员会",
    "住房和城乡建设部",
    "退役军人事务部",
    "国家市场监督管理总局",
    "国家医疗保障局",
    "国家税务总局",
    "政府信息公开条例",
    "保守国家秘密法",
    "个人信息保护法",
    "社会保险法",
    "劳动合同法",
    "就业促进法",
    "行政许可法",
    "行政处罚法",
    "行政复议法",
    "行政诉讼法",
    "劳动争议调解仲裁法",
    "无障碍环境建设法",
    "工伤保险条例",
    "失业保险条例",
    "优化营商环境条例",
    "保障农民工工资支付条例",
    "事业单位人事管理条例",
    "重大行政决策程序暂行条例",
)
