"""The recognisers on real clauses from the seeds."""
import pytest

from kg.nlp.entities import find_mentions
from kg.nlp.normalize import normalize
from kg.vocab.ontology import load_lexicon
from kg.vocab.regions import gazetteer

from seedtext import seed_line


@pytest.fixture(scope="module")
def lex():
    return load_lexicon()


def mentions(text, lex, kind=None):
    out = find_mentions(normalize(text).text, lex, gazetteer())
    return [m for m in out if kind is None or m.kind == kind]


def pref(lex, m):
    return lex.concepts[m.key].pref_zh if m.key in lex.concepts else None


def test_named_communities_are_agencies_and_their_type_word_alone_is_not(lex):
    line = seed_line("000", "六泉湖社区")
    names = {m.text for m in mentions(line, lex, "agency")}
    assert {"六泉湖社区", "鸡山新村社区"} <= names
    assert mentions("巩固社区治理成果,推进城乡社区治理", lex, "agency") == []


def test_coordinated_names_share_their_type_word(lex):
    assert [m.text for m in mentions("云池和虎牙街道", lex, "agency")] == ["云池街道", "虎牙街道"]


def test_companies_keep_their_whole_name(lex):
    line = seed_line("003", "亲和源")
    assert "上海亲和源有限公司" in {m.text for m in mentions(line, lex, "agency")}


def test_government_needs_a_region_or_level(lex):
    assert [m.text for m in mentions("在区委、区政府的坚强领导下", lex, "agency")] == ["区委", "区政府"]
    assert mentions("政府购买服务", lex, "agency") == []


def test_traditional_wordings_resolve_to_the_same_concept(lex):
    (a,) = mentions("農村低保", lex, "programme")
    (b,) = mentions("农村低保", lex, "programme")
    assert a.key == b.key and pref(lex, a) == "农村最低生活保障"


def test_abbreviation_and_full_title_are_one_concept(lex):
    (a,) = mentions("发放低保金", lex, "programme")
    (b,) = mentions("最低生活保障", lex, "programme")
    assert a.key == b.key


def test_a_new_wording_becomes_a_narrower_concept_not_a_miss(lex):
    (m,) = mentions("今年完成特困老年人居家适老化改造7989户", lex, "group")
    assert m.text == "特困老年人" and m.key is None and lex.concepts[m.broader].pref_zh == "老年群体"


def test_shared_head_in_an_enumeration_names_both(lex):
    keys = {pref(lex, m) for m in mentions("对城市、农村低保对象", lex, "group")}
    assert keys == {"城市低保对象", "农村低保对象"}


def test_a_programme_named_after_its_group_names_both(lex):
    ms = mentions("三是全面落实特困人员政策。", lex)
    assert ("programme", "特困人员政策") in {(m.kind, m.text) for m in ms}
    assert ("group", "特困人员") in {(m.kind, m.text) for m in ms}


def test_service_workers_are_not_beneficiaries(lex):
    ms = mentions("配备儿童督导员149人、儿童主任1471人", lex)
    assert {m.kind for m in ms} == {"staff"}


def test_two_character_labels_do_not_straddle_words(lex):
    assert all(m.text != "护工" for m in mentions("打造关爱守护工程", lex))


def test_generic_head_words_alone_are_not_programmes(lex):
    assert mentions("提供优质服务", lex, "programme") == []
    assert mentions("就符合救助条件的", lex, "programme") == []


def test_regions_are_found_with_their_codes():
    from kg.vocab.regions import gazetteer as g

    reg = g().resolve("路桥区", set())
    assert reg.code == "331004" and reg.parent.name == "台州市"


def test_departments_listed_before_a_count_of_departments_are_agencies(lex):
    names = [m.text for m in mentions("联合发改、司法等六部门制定", lex, "agency")]
    assert names == ["发改", "司法"]
    assert mentions("城市、农村低保等部门", lex, "agency") == []


def test_names_listed_before_a_count_of_institutions_are_agencies(lex):
    names = [m.text for m in mentions("已有山东健康、万福苑2家养老机构建成认知障碍照护床位", lex, "agency")]
    assert names == ["山东健康", "万福苑"]


def test_place_name_endings_make_a_community_name(lex):
    names = {m.text for m in mentions("指导交通路社区、生态园社区开展活动", lex, "agency")}
    assert {"交通路社区", "生态园社区"} <= names


def test_a_region_communities_are_not_one_agency_but_its_welfare_centre_is(lex):
    assert mentions("吕梁市社区养老服务全覆盖", lex, "agency") == []
    assert [m.text for m in mentions("完成区福利中心房屋修缮工程", lex, "agency")] == ["区福利中心"]


def test_administrative_work_is_recognised_but_is_no_programme(lex):
    ms = mentions("实现本年度社会组织年检通过率90%,完成村(社区)两委换届", lex)
    assert {m.kind for m in ms} == {"admin"}


def test_manner_and_level_words_do_not_make_a_programme(lex):
    # 002: 高效救助, 县级登记 say how and where, not which programme.
    text = "推动实现高效救助、温暖救助,办理县级登记12家。"
    assert [m.text for m in mentions(text, lex, "programme")] == []


def test_a_rate_unit_before_a_head_word_names_no_programme(lex):
    # 平均每人次救助2026元: 人次 is the rate's unit.
    assert [m.text for m in mentions("平均每人次救助2026元", lex, "programme")] == []


def test_fast_viterbi_is_jiebas():
    """kg.nlp.viterbi skips impossible transitions; its answers are jieba's, bit for bit."""
    import random

    from jieba.posseg import char_state_tab_P, emit_P, start_P, trans_P
    from jieba.posseg.viterbi import viterbi as jieba_viterbi

    from kg.nlp.viterbi import viterbi

    rng = random.Random(7)
    runs = ["六泉湖", "亲和源", "陶家夼", "石板冲古老背", "竹岛街道", "中阳", "解四难"]
    runs += ["".join(chr(rng.randint(0x4E00, 0x9FD5)) for _ in range(rng.randint(1, 8))) for _ in range(40)]
    for run in runs:
        args = (run, char_state_tab_P, start_P, trans_P, emit_P)
        assert viterbi(*args) == jieba_viterbi(*args), run


def test_a_field_of_work_is_mentioned_but_is_no_programme(lex):
    # 000: 五、社会福利事业 … 残疾人福利; 001: 儿童福利 in a heading
    ms = mentions("一是加强儿童福利工作,做好残疾人福利和防灾减灾工作。", lex)
    assert {m.kind for m in ms if m.text in ("儿童福利工作", "残疾人福利", "防灾减灾工作")} == {"field"}
    assert not [m for m in ms if m.kind == "programme"]


def test_a_wording_cut_by_the_reach_limit_starts_on_a_word(lex):
    # the reach of ten characters ends inside 发放
    (m,) = mentions("发放贫困重度残疾人生活补贴", lex, "programme")
    assert m.text == "贫困重度残疾人生活补贴"


def test_registering_by_law_names_no_programme(lex):
    # 全县依法登记社会组织168家: 依法 says how, not which programme
    assert [m.text for m in mentions("全县依法登记社会组织168家。", lex, "programme")] == []


def test_tracing_a_family_as_a_verb_names_no_programme(lex):
    # 帮助37名长期滞留人员寻亲成功: an activity of 救助管理, not a programme of its own
    assert [m.text for m in mentions("帮助37名长期滞留人员寻亲成功。", lex, "programme")] == []
    assert [pref(lex, m) for m in mentions("开展寻亲服务专项行动。", lex, "programme")] == ["寻亲服务"]

def test_fast_pos_cut_is_jiebas():
    """kg.nlp.postag finds jieba's split in one pass; its tokens are jieba.posseg's, with and without the HMM."""
    import random

    from kg.nlp import postag
    from kg.nlp.entities import _posseg

    posseg = _posseg()
    from pathlib import Path

    seeds = Path(__file__).resolve().parent.parent / "seeds"
    text = "".join(p.read_text(encoding="utf-8") for p in sorted(seeds.glob("*.txt")))
    rng = random.Random(7)
    samples = ["", "路桥区民政局联合六泉湖社区", "A级景区3.5万元", "  \n\t低保", "ABC公司和DEF中心", "中国abc中心12号"]
    for _ in range(3000):
        start = rng.randrange(len(text))
        samples.append(text[start: start + rng.randint(1, 24)])
    for s in samples:
        for hmm in (False, True):
            ours = postag.cut(posseg.dt, postag.blocks(posseg.dt, s), hmm)
            assert [tuple(t) for t in ours] == [tuple(t) for t in posseg.cut(s, HMM=hmm)], (s, hmm)


def test_plain_cut_word_lengths_are_jiebas():
    """kg.nlp.postag.word_lengths gives the lengths of jieba.dt.cut(s, HMM=False)'s words."""
    import random
    from pathlib import Path

    import jieba

    from kg.nlp import postag

    seeds = Path(__file__).resolve().parent.parent / "seeds"
    text = "".join(p.read_text(encoding="utf-8") for p in sorted(seeds.glob("*.txt")))
    rng = random.Random(3)
    samples = ["", "路桥区民政局联合六泉湖社区", "A级景区3.5万元", " \r\n\t低保 ", "ABC公司和DEF-1中心", "中国abc中心12号%"]
    samples += [text[i: i + rng.randint(1, 16)] for i in (rng.randrange(len(text)) for _ in range(3000))]
    for s in samples:
        assert postag.word_lengths(jieba.dt, s) == [len(w) for w in jieba.dt.cut(s, HMM=False)], s


def test_backwards_cut_decoding_the_hmm_lazily_gives_the_cuts_tokens():
    """kg.nlp.postag.cut_backwards defers the HMM's runs; read to the end, its tokens are
    the HMM cut's in reverse, and pos_cut_backwards is pos_cut reversed."""
    import random
    from pathlib import Path

    from kg.nlp import postag
    from kg.nlp.entities import _posseg, pos_cut, pos_cut_backwards

    dt = _posseg().dt
    seeds = Path(__file__).resolve().parent.parent / "seeds"
    text = "".join(p.read_text(encoding="utf-8") for p in sorted(seeds.glob("*.txt")))
    rng = random.Random(11)
    samples = ["路桥区民政局联合六泉湖社区", "石板冲古老背社区", "ABC公司和DEF中心", "中国abc中心12号", "上海亲和源有限公司"]
    samples += [text[i: i + rng.randint(1, 24)] for i in (rng.randrange(len(text)) for _ in range(3000))]
    for s in samples:
        parts = postag.blocks(dt, s)
        assert list(postag.cut_backwards(dt, parts)) == postag.cut(dt, parts, hmm=True)[::-1], s
        assert list(pos_cut_backwards(s)) == pos_cut(s)[::-1], s


def test_region_names_found_stretch_by_stretch_are_the_automatons_over_the_whole_text():
    """_regions searches only the stretches of characters names are made of; it finds
    what the automaton finds over the whole text (seeds, and names run together)."""
    import random
    from pathlib import Path

    from kg.nlp.entities import _region_index, _regions
    from kg.vocab.regions import gazetteer

    gaz = gazetteer()
    index = _region_index(gaz)
    names = sorted(index.labels)
    rng = random.Random(5)
    seeds = Path(__file__).resolve().parent.parent / "seeds"
    texts = [p.read_text(encoding="utf-8") for p in sorted(seeds.glob("*.txt"))]
    texts += ["".join(rng.choice(names)[rng.randint(0, 2):] + rng.choice(["", "", "的", "区", "市民", ","])
                      for _ in range(200)) for _ in range(20)]
    for text in texts:
        whole = [(s, e, name) for s, e, name, _ in index.scan(text)]
        assert list(_regions(text, gaz)) == whole
    assert any(whole)


def test_listed_bodies_found_stretch_by_stretch_are_the_patterns_over_the_whole_text():
    """_listed_agencies searches _LISTED only in the stretches that can hold a list; it finds
    what the pattern finds over the whole text."""
    import random
    from pathlib import Path

    from kg.nlp.entities import _LISTED, _LISTED_RUN

    seeds = Path(__file__).resolve().parent.parent / "seeds"
    texts = [p.read_text(encoding="utf-8") for p in sorted(seeds.glob("*.txt"))]
    rng = random.Random(2)
    bits = ["联合", "发改", "、", "司法", "等", "六", "部门", "山东健康", "万福苑", "2", "家", "养老", "机构", "和",
            "与", "民政局", ",", "。", "12", "会同", "单位", "企业", "ab", " "]
    texts += ["".join(rng.choice(bits) for _ in range(300)) for _ in range(200)]
    found = 0
    for text in texts:
        whole = [(m.span(), m.groups()) for m in _LISTED.finditer(text)]
        assert [(m.span(), m.groups()) for run in _LISTED_RUN.finditer(text)
                for m in _LISTED.finditer(text, run.start(), run.end())] == whole
        found += len(whole)
    assert found > 20


def test_cultivating_social_organisations_and_running_homes_privately_are_administration(lex):
    # 003: 完成路桥敬老院公建民营; 004: 社区社会组织培育 — how the bureau runs its sector, not a welfare programme
    ms = mentions("完成路桥敬老院公建民营,推进社会组织培育。", lex)
    assert {m.kind for m in ms if m.text in ("公建民营", "社会组织培育")} == {"admin"}


def test_a_verb_after_a_noun_starts_what_a_group_wording_governs(lex):
    # tests/new-reports/101: the homes (机构) receive (接待) the visitors; they are no group
    groups = {m.text for m in mentions("清明期间全市殡葬服务机构接待祭扫群众约120万人次", lex, "group")}
    assert not any("机构" in g for g in groups)
    # …but a known label holding the verb stays whole (000: 农村留守儿童牵手行动)
    progs = {m.text for m in mentions("开展农村留守儿童牵手行动", lex, "programme")}
    assert "农村留守儿童牵手行动" in progs


def test_a_field_with_a_weak_head_word_is_no_programme(lex):
    # 社会福利|保障, 社会事务|服务 name the field itself; a blind report's 临救 is 临时救助
    assert mentions("完善社会福利保障", lex, "programme") == []
    assert mentions("深化专项社会事务管理服务", lex, "programme") == []
    (m,) = mentions("发放临救资金516.3万元", lex, "programme")
    assert pref(lex, m) == "临时救助"


def test_everyone_and_the_bureaus_own_staff_are_no_beneficiary_group(lex):
    # blind reports: 服务居民群众, 社会救助领域群众身边不正之风, 对社会救助经办人员…
    for text in ("把更多精力用于服务居民群众", "扎实开展社会救助领域群众身边不正之风整治",
                 "对社会救助经办人员开展培训", "乡镇(街道)民政工作人员身兼数职"):
        assert mentions(text, lex, "group") == [], text


def test_the_services_that_come_with_assistance_are_programmes(lex):
    # blind reports: “物质+服务”救助, and what protection and care consist of
    (m,) = mentions("全年为困难群众提供“物质+服务”救助3.6万人次", lex, "programme")
    assert pref(lex, m) == "物质+服务救助"
    found = {pref(lex, m) for m in mentions("提供心理疏导、资源链接、临时监护、家庭监护指导和精神慰藉", lex, "programme")}
    assert {"心理疏导", "资源链接", "临时监护", "家庭监护指导", "精神慰藉"} <= found


def test_a_known_label_with_a_generic_word_inside_is_that_concept(lex):
    # a blind report: 新建社区综合养老服务中心6个 — a community elderly-care centre
    progs = [m for m in mentions("新建社区综合养老服务中心6个", lex, "programme")]
    assert [pref(lex, m) for m in progs] == ["社区养老服务"]
