from kg.nlp.normalize import normalize, to_simplified

from seedtext import seed, seed_line


def test_traditional_becomes_simplified():
    assert to_simplified("兒童福利保障全面落實") == "儿童福利保障全面落实"


def test_pinyin_glosses_are_removed_from_a_web_copy():
    line = seed_line("000", "630元/月")
    n = normalize(line)
    assert "(xiāng)" not in n.text and "(biāo)" not in n.text
    assert "城乡低保救助标准进一步提高" in n.text


def test_real_parentheses_are_kept():
    for s in ("村(社区)居家养老服务照料中心234家", "《办法(试行)》", "补发结(离)婚243对"):
        assert normalize(s).text == s


def test_full_width_digits_and_letters_are_folded():
    assert normalize("发放１２３万元ＡＢ").text == "发放123万元AB"


def test_every_normalised_character_points_back_into_the_original():
    original = seed("000")
    n = normalize(original)
    assert len(n.offsets) == len(n.text) + 1
    assert all(0 <= o <= len(original) for o in n.offsets)
    assert list(n.offsets) == sorted(n.offsets)
    i = n.text.index("208.9万元")
    s, e = n.original_span(i, i + len("208.9万元"))
    assert original[s:e] == "208.9萬元"


def test_pinyin_gloss_inside_a_figure_span_maps_to_the_whole_original():
    original = "共发放城鄉(xiāng)低保28.29萬元"
    n = normalize(original)
    i = n.text.index("城乡低保")
    s, e = n.original_span(i, i + 4)
    assert original[s:e] == "城鄉(xiāng)低保"


def test_garbled_stretches_become_warnings_not_text():
    line = seed_line("002", "六?")
    n = normalize(line)
    assert any("garbled" in w for w in n.warnings)


def test_stray_spaces_are_tidied_but_line_breaks_kept():
    n = normalize("  一是 聚焦弱势群体\u3000织密\n二是")
    assert "\n" in n.text
    assert "  " not in n.text


def test_fast_conversion_agrees_with_opencc_phrase_by_phrase():
    import opencc

    cv = opencc.OpenCC("t2s")
    for prefix in ("000", "002"):
        for line in seed(prefix).splitlines():
            conv = cv.convert(line)
            if len(conv) == len(line):
                assert to_simplified(line) == conv
    for tricky in ("乾隆年間", "頭髮乾了", "後天在後面", "皇后的後代", "一隻手錶"):
        assert to_simplified(tricky) == cv.convert(tricky)


def test_quote_marks_lost_to_question_marks_are_quote_marks_again():
    # a blind report copied from the web: 开展?婚姻家庭辅导进社区?活动12场
    n = normalize("开展?婚姻家庭辅导进社区?活动12场，倡导新风")
    assert n.text.startswith("开展“婚姻家庭辅导进社区”活动12场")
    assert len(n.offsets) == len(n.text) + 1  # one for one
    # a real question stays one
    assert "?" in normalize("是否按时发放?是否足额?请核实").text


def test_quote_marks_a_scraper_read_as_cp1252_are_repaired_in_place():
    # blind reports: 开展â€œ护苗â€专项行动, 深化â€œ时间银行â€?互助养老
    original = "深化â€œ时间银行â€?互助养老,开展â€œ护苗â€专项行动126场次"
    n = normalize(original)
    assert n.text == "深化“时间银行”互助养老,开展“护苗”专项行动126场次"
    i = n.text.index("126")
    assert original[n.offsets[i]: n.offsets[i] + 3] == "126"  # offsets still point into the file
    assert any("mojibake" in w for w in n.warnings)
