"""Every recognition and linking rule, as data: its name, the slot it decides, its
order, whether it proposes or vetoes, why it holds, and real sentences it decides.

The code of each rule lives where it runs (kg.nlp.entities for recognition,
kg.nlp.linking for linking, under the same name); this table is what a reader,
the graph (``wf:decidedBy`` → ``wf:Rule``), ``kg eval --without`` and the tests
see. Order is the order of ``RULES``: recognition first, then linking as
``kg.nlp.linking.link`` applies it (claims, proposals, the scopes and the pick
rules used inside them, revisions, groups once measures are known, and the
rules that record that nothing was found).

An example is a real sentence (from the seeds or tests/new-reports, a heading
line before it where the rule reads headings) and what the rule makes of it:
for a linking rule, the wording the named figure is linked to (``programme``,
``group``; None for no link); for a recognition rule, a wording that is or is
not a mention. tests/test_rules.py runs each example alone and checks that
switching the rule off changes the outcome.
"""
from __future__ import annotations

from dataclasses import dataclass, field

SLOTS = ("programme", "group", "measure", "unit/per", "period", "region")
#: Marks an expectation not checked by an example.
ANY = "<any>"


@dataclass(frozen=True)
class Example:
    text: str
    figure: str | None = None  # linking: the figure (as written, simplified) whose links are checked
    programme: str | None = ANY  # the wording it is linked to (None: no programme)
    group: str | None = ANY
    measure: str | None = ANY
    mention: str | None = None  # recognition: a wording ...
    kind: str = "programme"  # ... of this kind ...
    present: bool = True  # ... that is (or is not) a mention


@dataclass(frozen=True)
class Rule:
    name: str
    stage: str  # recognition | linking
    slot: str  # one of SLOTS
    action: str  # propose | veto
    why: str
    examples: tuple[Example, ...] = field(default=())
    fallback: bool = False  # what holds when no rule before it does: switching it off changes nothing


_R = Rule
_E = Example

_RULES = (
    # ------------------------------------------------------------ recognition (kg.nlp.entities)
    _R("two-character-label-on-word-boundaries", "recognition", "group", "veto",
       "A two-character label must not straddle words: 老人 is not in 养老|人才, 护工 not in 守护|工程.",
       (_E("3.养老人才队伍建设不断加强。", mention="老人", kind="group", present=False),)),
    _R("institution-name-is-no-programme", "recognition", "programme", "veto",
       "A programme's label followed by an institution's head word names the institution "
       "(社区养老服务|综合体), not the programme.",
       (_E("新建城市社区养老服务综合体和农村互助养老服务站98个，“15分钟养老服务圈”加快构建。",
           mention="社区养老服务", present=False),)),
    _R("quoted-name-is-the-modifier", "recognition", "group", "propose",
       "A quoted name before a head word is its modifier: “解四难”人员 is a group.",
       (_E("已解决“解四难”人员12人,累计投入资金2.1万元。", mention="“解四难”人员", kind="group"),)),
    _R("head-word-alone-is-too-generic", "recognition", "programme", "veto",
       "A head word with less than two characters of modifier (救助, 项目) names no programme.",
       (_E("积极申报市第三届社区公益创投项目, 3个项目入选。", mention="项目", present=False),)),
    _R("place-and-head-word-name-nothing", "recognition", "programme", "veto",
       "A place name and a head word (中阳|项目, 安康|工程) name no programme.",
       (_E("二是聚焦老人养老需求,打造颐养安康工程。", mention="安康工程", present=False),)),
    _R("staff-are-not-beneficiaries", "recognition", "group", "veto",
       "People named by a staff word (工作人员, 经办人员, 社区工作者) are not a beneficiary group.",
       (_E("严格落实低保经办人员和村（居）干部近亲属备案制度。", mention="经办人员", kind="group",
           present=False),)),
    _R("generic-modifier-names-a-kind", "recognition", "programme", "veto",
       "A generic modifier (专项, 试点, 党员) and a head word name a kind of thing, not a programme or group.",
       (_E("二是组织全区党员群众参加“慈善一日捐”活动,募集资金35万余元。", mention="党员群众", kind="group",
           present=False),)),
    _R("rate-unit-is-no-modifier", "recognition", "programme", "veto",
       "A rate's unit before a head word (每人次|救助2026元) is not a programme's name.",
       (_E("全年实施临时救助38.6万人次，支出资金7.82亿元，平均每人次救助2026元。", mention="人次救助",
           present=False),)),
    _R("administration-is-no-programme", "recognition", "programme", "veto",
       "A wording holding an administrative task (年检, wf:AdministrativeWork) is administration, not a programme.",
       # An administrative label is matched as its own mention before any productive wording can
       # hold it, so this guard decides only where that match was refused (a two-character label
       # across words, 往年|检修): no sentence of the seeds or tests/new-reports reaches it. The
       # example is the seeds' 全年检查养老机构…处 with a verb that is no function word.
       (_E("往年检修养老服务设施20处。", mention="往年检修养老服务", present=False),)),
    _R("weak-head-needs-a-welfare-word", "recognition", "programme", "veto",
       "A weak head word (服务, 保障, 培训, 政策) makes a programme only with a welfare word before it "
       "(优质服务, 民生保障 name none).",
       (_E("一是聚焦弱势群体,织密扎牢基本民生保障网。", mention="民生保障", present=False),)),
    _R("payment-word-alone-names-no-programme", "recognition", "programme", "veto",
       "GOLD.md decision 1: a payment word as written (公益金, 基本生活补贴, 保障金) names no programme; the figure "
       "takes what its clause, sentence or heading names. A compound naming one (临时救助备用金) keeps it.",
       (_E("全面建立事实无人抚养儿童保障制度,将2.1万名事实无人抚养儿童纳入保障范围,按每人每月850元的标准发放基本生活补贴。",
           mention="生活补贴",
           present=False),)),
    # ------------------------------------------------------------ linking: claims in a list
    _R("count-claims-the-name-after-it", "linking", "group", "veto",
       "In a list, a name written right after a count (594名孤儿、453名事实无人抚养儿童) is that count's own; "
       "no other figure takes it.",
       (_E("截至目前共为594名孤儿、453名事实无人抚养儿童按时足额发放保障金1373万元、临时价格补贴30.69万元。",
           figure="1373万元", group="事实无人抚养儿童"),)),
    _R("list-item-claims-the-name-before-it", "linking", "group", "veto",
       "In a list, a name between the comma and a count (…、受益贫困对象达到8万余人) is that item's; "
       "the item before does not take it.",
       (_E("市慈善总会开展“慈善助学”“慈善助医”等项目，资助困难学生680名、困难患者356名，支出慈善资金1120万元。",
           figure="680名", group=None),)),
    _R("group-right-before-a-count-is-its-own", "linking", "group", "veto",
       "In a clause with several figures, a group written right before a count (牵手人帮扶|儿童1253名) "
       "is that count's, not the figure's before it.",
       (_E("开展农村留守儿童牵手行动,安排825名牵手人帮扶儿童1253名。", figure="825名", group=None),)),
    # ------------------------------------------------------------ linking: proposals, in order
    _R("two-units-one-thing", "linking", "programme", "propose",
       "Figures written back to back (2.37万户4.52万人) count one thing in two units and share its links.",
       (_E("上半年，全市共保障城乡低保对象2.37万户4.52万人，发放低保金1.86亿元。", figure="4.52万人",
           programme="城乡低保"),)),
    _R("respectively", "linking", "programme", "propose",
       "After 分别 the n-th figure takes the n-th concept named before it (A、B…分别…X、Y).",
       (_E("全年发放困难残疾人生活补贴1382.4万元、重度残疾人护理补贴1630.8万元，分别惠及1.28万人、1.51万人。",
           figure="1.28万人", programme="困难残疾人生活补贴"),)),
    _R("respectively-after-the-clauses-before", "linking", "programme", "propose",
       "A 分别 clause naming nothing takes, in order, the programmes of as many figures just before it in the "
       "sentence, one per clause.",
       (_E("全年城市低保平均标准提高到每人每月652元，农村低保平均标准提高到每人每年5460元，"
           "分别较上年增长5.2%和6.8%。", figure="5.2%", programme="城市低保"),)),
    _R("own-stretch-names-it", "linking", "programme", "propose",
       "The concept named in the figure's own stretch of the clause (from the figure before it) is its own: "
       "其中城市低保2136户、农村低保1.65万户.",
       (_E("全县共有城乡低保对象1.86万户3.12万人，其中城市低保2136户3408人、农村低保1.65万户2.78万人。",
           figure="1.65万户", programme="农村低保"),)),
    _R("a-total-among-which-has-no-programme", "linking", "programme", "veto",
       "A total \"among which\" (26所敬老院中…) has no programme: the programme after 中 applies to a part.",
       (_E("全县26所敬老院中已有21所完成消防设施改造，占比80.8%。", figure="26所", programme=None),)),
    _R("name-after-the-count", "linking", "group", "propose",
       "A name written right after a count (为4.12万名|困难残疾人) is what it counts.",
       (_E("上半年为4.12万名困难残疾人和重度残疾人发放两项补贴5210万元。", figure="4.12万名",
           group="困难残疾人"),)),
    _R("programme-closing-a-list", "linking", "programme", "propose",
       "A programme written after a list's last figure (…按每人每月300元标准发放高龄津贴) is every item's.",
       (_E("对全县80周岁以上老年人按每人每月50元、90周岁以上老年人按每人每月100元、百岁老人按每人每月300元"
           "标准发放高龄津贴。", figure="每人每月300元", programme="高龄津贴"),)),
    _R("group-item-of-a-list-borrows-no-programme", "linking", "programme", "veto",
       "A list item whose own stretch names a group (孤儿96人、事实无人抚养儿童412人) borrows no programme "
       "from beyond its clause.",
       (_E("二、未成年人关爱保护\n全县保障孤儿96人、事实无人抚养儿童412人，全年发放基本生活费586.3万元。",
           figure="412人", programme=None),)),
    _R("named-count-heading-a-list-borrows-nothing", "linking", "programme", "veto",
       "A count named by what follows it and heading a list (770名低保、238名…) borrows nothing from the clause.",
       (_E("上半年为4.12万名困难残疾人和重度残疾人发放两项补贴5210万元。", figure="4.12万名",
           programme=None),)),
    _R("clause-names-it", "linking", "programme", "propose",
       "GOLD.md's first scope: the concept the figure's clause names (the first, where it names two).",
       (_E("为2名转业志愿兵(士官)给予社会保险补贴11.65万元。", figure="2名", programme="社会保险补贴"),)),
    _R("spending-for-the-purpose-named-next", "linking", "programme", "propose",
       "A sum whose clause says only that it was spent (投入84.326万元,) is for the programme the next clause "
       "names (为…提供照料服务).",
       (_E("发放城乡低保金7620人次702.44万元,投入84.326万元,为2197人次分散特困对象提供照料服务42163小时。",
           figure="84.326万元", programme="照料服务"),)),
    _R("sentence-names-it", "linking", "programme", "propose",
       "GOLD.md's second scope: the concept the figure's sentence names, the nearest before it, else the first "
       "after it up to a semicolon.",
       (_E("1-6月为700多名老年人提供居家养老上门服务,为1317人累计发放高龄补贴44.2万元,办理老年人有待证415本。",
           figure="415本", programme="高龄补贴"),)),
    _R("item-heading-names-it", "linking", "programme", "propose",
       "GOLD.md's third scope: the concept named in the heading of the figure's numbered item (三是…).",
       (_E("三是全面落实特困人员政策。截至6月,共发放供养金27.36万元。", figure="27.36万元",
           programme="特困人员政策"),)),
    _R("section-heading-names-it", "linking", "programme", "propose",
       "GOLD.md's last scope: the concept named in the heading of the figure's section.",
       (_E("（二）养老服务\n全年改造提升乡镇敬老院128所。", figure="128所", programme="养老服务"),)),
    # ------------------------------------------------------------ linking: picks inside a scope
    _R("programme-in-a-group-name-yields", "linking", "programme", "veto",
       "A programme named only inside a group's name (特困|老年人) yields to one named in its own right.",
       (_E("今年完成特困老年人居家适老化改造7989户,建设家庭养老床位100张。", figure="7989户",
           programme="居家适老化改造"),)),
    _R("list-closed-by-deng-names-its-kind", "linking", "programme", "propose",
       "A list closed by 等 and a name (助餐、助洁等居家上门服务) is about that name.",
       (_E("指导第三方服务机构对符合要求的经济困难老年人开展助餐、助洁等居家上门服务4万多人次。",
           figure="4万多人次", programme="居家上门服务"),)),
    _R("narrower-beside-broader", "linking", "programme", "propose",
       "A broader concept (优抚) yields to a narrower one named beside it (短期疗养), unless the two are "
       "coordinated (高龄津贴和长寿补贴: the first).",
       (_E("为14名重点优抚对象发放住院医疗补助2.45万元,为5名参试人员免费进行体检,"
           "安排26名优抚对象到优抚医院集中进行短期疗养。", figure="26名", programme="短期疗养"),)),
    # ------------------------------------------------------------ linking: revisions, in order
    _R("list-items-share-a-borrowed-programme", "linking", "programme", "propose",
       "Items alike in a list (困难残疾人63.2万人、重度残疾人72.8万人) share the programme the first borrowed "
       "from its sentence.",
       (_E("全年，全面落实残疾人两项补贴制度，困难残疾人生活补贴和重度残疾人护理补贴标准分别提高到每人每月75元、"
           "80元，惠及困难残疾人63.2万人、重度残疾人72.8万人。", figure="72.8万人",
           programme="残疾人两项补贴制度"),)),
    _R("a-later-clause-is-another-action", "linking", "programme", "veto",
       "A clause that goes on to say what was done is complete: a programme named in a later clause "
       "(…,完成区福利中心房屋修缮工程) is another action's; the heading's programme is taken instead.",
       (_E("培育社区社会组织50家以上，持续做好乡村地名设标工作。", figure="50家以上", programme=None),)),
    _R("programme-in-the-group-name", "linking", "programme", "propose",
       "A clause naming a group named after a programme (城乡低保|对象) is about that programme.",
       (_E("上半年，全市共保障城乡低保对象2.37万户4.52万人，发放低保金1.86亿元。", figure="2.37万户",
           programme="城乡低保"),)),
    _R("group-and-benefit-make-a-programme", "linking", "programme", "propose",
       "The group and the benefit paid to it make a programme's name the text never writes whole "
       "(孤儿 … 基本生活费 → 孤儿基本生活费).",
       (_E("全年累计发放孤儿和事实无人抚养儿童基本生活费3418万元。", figure="3418万元",
           programme="基本生活费"),)),
    _R("a-payment-paid-to-a-group-names-no-programme", "linking", "programme", "veto",
       "GOLD.md decision 1: a bare payment word (基本生活费, 保障金, 补贴) paid to a group (为孤儿…发放基本生活费) "
       "names no programme; group and benefit make one only where written as one name "
       "(孤儿和事实无人抚养儿童基本生活费). The figure takes what its clause, sentence or heading names.",
       (_E("全年为孤儿和事实无人抚养儿童发放基本生活费568.4万元。", figure="568.4万元", programme=None),)),
    _R("made-programme-carries-on", "linking", "programme", "propose",
       "The next clauses of a sentence (…,发放基本生活费2913万元) are about the programme group and benefit "
       "made in it (孤儿基本生活保障标准), as far as another programme is named.",
       (_E("全市机构集中养育孤儿基本生活保障标准提高到每人每月1480元，社会散居孤儿和事实无人抚养儿童提高到每人每月"
           "1100元，全年保障孤儿和事实无人抚养儿童2317人，发放基本生活费2913万元。", figure="2913万元",
           programme="基本生活保障"),)),
    _R("total-of-the-parts", "linking", "programme", "propose",
       "After 其中, a clause naming none of the parts (…,登记合格率100%) is about the total (婚姻登记), "
       "not the part before it.",
       (_E("全年办理婚姻登记3126对，其中结婚登记2318对、离婚登记808对，登记合格率100%。", figure="100%",
           programme="婚姻登记"),)),
    _R("group-of-the-total", "linking", "group", "propose",
       "The parts after a total \"among which\" (…24.8万人，其中集中供养6.1万人) count the total's group.",
       (_E("全县纳入特困人员救助供养2028人，其中集中供养286人、分散供养1742人。", figure="286人",
           group="特困人员"),)),
    _R("yardstick-is-not-the-subject", "linking", "programme", "veto",
       "A programme whose standard is the yardstick of a figure (不低于低保标准的1.3倍) is not what the "
       "figure is about.",
       (_E("按照不低于低保标准的1.3倍提高特困人员供养标准。", figure="1.3倍", programme="特困人员供养"),)),
    _R("borrowed-programme-must-serve-the-group", "linking", "programme", "veto",
       "A programme borrowed from beyond the clause must serve the clause's group (ontology wf:servesGroup): "
       "another programme of the sentence that does, or none.",
       (_E("全市脱贫人口中纳入低保、特困供养1.37万人，占脱贫人口总数的18.6%。", figure="18.6%",
           programme=None),)),
    _R("institutions-count-for-the-service-in-them", "linking", "programme", "propose",
       "A programme named by its institutions (养老机构, 医养结合机构) is the service delivered in them, the "
       "broader programme (养老服务): institutions and beds are counted for it, as the table stage reads them.",
       (_E("全区共运营养老机构16家,共有床位3828张。", figure="16家", programme="养老服务"),)),
    # ------------------------------------------------------------ linking: groups once measures are known
    _R("no-group-from-a-name-for-counts-and-shares", "linking", "group", "veto",
       "A count or a share takes no group from inside a programme's or a place's name "
       "(长者照护之家23家 counts homes, not 长者).",
       (_E("建成社区综合为老服务中心14家、长者照护之家23家、社区老年助餐场所112个。", figure="23家",
           group=None),)),
    _R("group-named-before-in-the-sentence", "linking", "group", "propose",
       "A standard, or people or money counted, with no group in its clause is for the group named before it in "
       "its sentence (救助流浪乞讨人员236人次，护送返乡41人次), unless the programme says otherwise.",
       (_E("开展“寒冬送温暖”专项救助行动，救助流浪乞讨人员236人次，护送返乡41人次。", figure="41人次",
           group="流浪乞讨人员"),)),
    # ------------------------------------------------------------ measure (the first that holds)
    _R("a-share-unit-is-a-share", "linking", "measure", "propose",
       "A figure in a unit of ratio (%, 倍, 个百分点) is a share.", (_E("推动农村互助养老点覆盖60%以上的行政村，完成特殊困难老年人家庭适老化改造300户以上。", figure="60%以上",
           measure="share"),)),
    _R("a-threshold-is-other", "linking", "measure", "propose",
       "A figure ending in 以上/以下 before 的 (300户以上的行政村) is a threshold: other.", (_E("全市200人以下的行政村全部取消,500人以下的行政村减少到90个。", figure="200人以下", measure="other"),)),
    _R("a-bound-describing-another-noun-is-other", "linking", "measure", "propose",
       "GOLD.md decision 3: a bound (不少于, 至少, 以上) in a phrase describing another noun (不少于200张床位的"
       "护理型中心敬老院) is that noun's threshold: other.",
       (_E("全市13县(市、区)都建成一所不少于200张床位的护理型中心敬老院。", figure="不少于200张", measure="other"),)),
    _R("hours-of-service-are-counted", "linking", "measure", "propose",
       "GOLD.md decision 4: hours of service delivered (累计服务156人次624小时) are a count; hours per person "
       "(每人每月服务时长不少于8小时) are provision per unit, a standard.",
       (_E("深化“时间银行”互助养老，注册志愿者6,820人，累计存储服务时长4.2万小时，低龄老人服务高龄老人的互助氛围日益浓厚。",
           figure="4.2万小时", measure="count"),)),
    _R("other-cue-word", "linking", "measure", "propose",
       "A cue word of wf:Other before the figure in its clause (面积, 为期, 时限, 减负) makes it other; a figure "
       "before the cue (60家…减负XX万元) is not what the cue measures.",
       (_E("60家市级行业协会商会通过减免、降低会费等举措为企业减负XX万元。", figure="XX万元", measure="other"),)),
    _R("money-per-unit-or-standard-cue-is-a-standard", "linking", "measure", "propose",
       "Money per something, or with a cue word of wf:Standard in its clause (标准, 人均, 不低于), is a standard.",
       (_E("为百岁老人发放长寿保健金，每人每月500元。", figure="每人每月500元", measure="standard"),)),
    _R("money-is-spending", "linking", "measure", "propose",
       "Money that is no standard is spending.",
       (_E("县慈善会全年募集慈善款物1268万元。", figure="1268万元", measure="spending"),),
       fallback=True),
    _R("a-rate-per-person-is-a-standard", "linking", "measure", "propose",
       "A figure per person or household (not per year, month or day) is a standard.", (_E("每千名老年人拥有养老床位60张,其中护理床位达到30张。", figure="60张", measure="standard"),)),
    _R("staff-are-counted", "linking", "measure", "propose",
       "Staff, volunteers and trainees are counted, not beneficiaries (GOLD.md): a count, with a bound too "
       "(配备不少于2名养老照护员, GOLD.md decision 3); per unit (每个社区专职社工不少于6人) they are a standard "
       "(a-rate-per-person-is-a-standard).", (_E("配备乡镇儿童督导员31名、村（社区）儿童主任389名，实现全覆盖。", figure="31名", measure="count"),)),
    _R("visitors-received-are-counted", "linking", "measure", "propose",
       "People received (接待祭扫群众18.6万人次) are visitors counted, not beneficiaries: a count.",
       (_E("清明祭扫期间全区累计接待群众18.6万人次，推广网络祭扫、鲜花祭扫等文明祭扫方式。", figure="18.6万人次",
           measure="count"),)),
    _R("trainees-are-counted", "linking", "measure", "propose",
       "People trained (培训) are trainees counted (GOLD.md conventions), even of a beneficiary group "
       "(退役士兵参加职业技能培训15人): a count.",
       (_E("开展退役士兵参加职业技能培训 15人,自愿参训率和合格率均达到100%。", figure="15人", measure="count"),)),
    _R("people-of-a-group-are-recipients", "linking", "measure", "propose",
       "People counted with a beneficiary group are recipients.", (_E("上半年资助困难群众参加城乡居民基本医疗保险1.21万人，支出资助参保资金423.6万元。", figure="1.21万人",
           measure="recipients"),)),
    _R("people-taking-part-are-counted", "linking", "measure", "propose",
       "People taking part (参加, 参与, 活动) with no group are a count.",
       (_E("清明期间57个单位4000余人到烈士陵园开展缅怀先烈的文明祭祀活动。", figure="4000余人", measure="count"),)),
    _R("people-are-recipients", "linking", "measure", "propose",
       "People counted otherwise are recipients.",
       (_E("全年新纳入低保1274户，动态退出968户。", figure="968户", measure="recipients"),),
       fallback=True),
    _R("the-unit-kind-decides", "linking", "measure", "propose",
       "Otherwise the unit's kind gives the measure (wf:defaultMeasure: 个 a count, 年 other).",
       (_E("开办老年助餐点18个，累计服务老年人4.6万人次。", figure="18个", measure="count"),),
       fallback=True),
    # ------------------------------------------------------------ linking: nothing found
    _R("no-programme-in-reach", "linking", "programme", "veto",
       "No rule found a programme in the figure's reach (its clause, sentence, item and section headings).",
       (_E("全年新增养老床位不少于200张。", figure="不少于200张", programme=None),), fallback=True),
    _R("no-group-in-the-clause", "linking", "group", "veto",
       "No rule found a group for the figure: groups are read from its clause (and, for standards and people "
       "counted, from its sentence before it).",
       (_E("全年新增养老床位不少于200张。", figure="不少于200张", group=None),), fallback=True),
)

#: Every rule by name, in order.
RULES: dict[str, Rule] = {r.name: r for r in _RULES}
ORDER: dict[str, int] = {name: i for i, name in enumerate(RULES)}


def table_rules() -> dict[str, tuple[str, str]]:
    """The table stage's rules (kg.nlp.tables.RULES, kept beside the code that reads
    tables): name -> (slot, why)."""
    from kg.nlp.tables import RULES as TABLE_RULES

    return {r.name: (r.slot, r.why) for r in TABLE_RULES}


def describe(names) -> tuple[tuple[str, str, str], ...]:
    """(name, slot, why) of the rules named, by name: what the graph writes of them."""
    names = sorted(set(names))
    tables = table_rules() if any(n not in RULES for n in names) else {}
    return tuple((n, RULES[n].slot, RULES[n].why) if n in RULES else (n, *tables[n]) for n in names)
