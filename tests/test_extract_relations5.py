"""Rules of issue 18, fifth round: what a number is about and what made it, who took part,
what is part of what (invented sentences; each fails without its rule)."""

from __future__ import annotations

from pathlib import Path

from kg import extract as ex


def _draft(tmp_path: Path, body: str) -> ex.Draft:
    article = tmp_path / "articles" / "900_test.txt"
    article.parent.mkdir(parents=True, exist_ok=True)
    article.write_text("测试标题：街道工作简讯\n" + body + "\n", encoding="utf-8")
    return ex.extract(article)


def _name(draft: ex.Draft, id_: str) -> str:
    """An entity's label, or a metric's value."""
    e = next(e for e in draft.entities if e.id == id_)
    return e.label or str(e.props.get("value"))


def _facts(draft: ex.Draft, predicate: str) -> set[tuple[str, str]]:
    """(subject, object) of every statement of a predicate, as a property or a fact."""
    found = {(_name(draft, f["subject"]), _name(draft, f["object"]))
             for f in draft.facts if f["predicate"] == predicate}  # fmt: skip
    for e in draft.entities:
        values = e.props.get(predicate)
        for value in values if isinstance(values, list) else [values] if values else []:
            found.add((_name(draft, e.id), _name(draft, value)))
    return found


def _area(draft: ex.Draft, value: str) -> set[str]:
    return {o for s, o in _facts(draft, "refArea") if s == value}


def _result_of(draft: ex.Draft, value: str) -> set[str]:
    return {o for s, o in _facts(draft, "resultOf") if s == value}


# ---------------------------------------------------------------- a team's members


def test_volunteers_counted_are_the_size_of_the_team_their_sentence_names(tmp_path: Path) -> None:
    """招募志愿者58名: the team's members, its size, not a result nor the subdistrict's."""
    draft = _draft(tmp_path, "今年，东湖街道组建“青柳”志愿服务队，目前已招募志愿者58名，"
                             "每周开展助老活动。")  # fmt: skip
    assert _area(draft, "58") == {"青柳志愿服务队"}
    assert _result_of(draft, "58") == set()


def test_members_counted_before_their_word_and_by_a_short_form(tmp_path: Path) -> None:
    """37名骑手志愿者参与巡查 (the member word after the unit); 服务队现有队员二十六名 (the team
    named again for short)."""
    draft = _draft(tmp_path, "东湖街道成立“蓝骑”志愿服务队，37名骑手志愿者利用送餐间隙参与巡查。\n"
                             "队长王秀兰说，服务队现有队员二十六名，还在招募。")  # fmt: skip
    assert _area(draft, "37") == {"蓝骑志愿服务队"}
    assert _area(draft, "26") == {"蓝骑志愿服务队"}


def test_a_member_word_inside_a_longer_noun_counts_no_members(tmp_path: Path) -> None:
    """7名党员中心户: 党员 begins another noun, so the 7 are no members of the mechanism."""
    draft = _draft(tmp_path, "东湖街道推行“网格＋志愿者”联动机制，力争明年培育7名党员中心户。")
    assert _area(draft, "7") == {"东湖街道"}


# ---------------------------------------------------------------- what a number counts


def test_a_verb_between_a_number_and_a_name_counts_something_else(tmp_path: Path) -> None:
    """42个小区安装“智能回收箱”: the number counts estates, not the initiative."""
    draft = _draft(tmp_path, "东湖街道推行“智能回收箱”。目前，东湖街道共有42个小区安装智能回收箱。")
    assert _area(draft, "42") == {"东湖街道"}
    kept = _draft(tmp_path, "东湖街道推行“智能回收箱”。目前，东湖街道共有42个智能回收箱。")
    assert _area(kept, "42") == {"智能回收箱"}


# ---------------------------------------------------------------- organizedBy


def test_the_subject_of_the_clause_organizes_not_the_place_after_zai(tmp_path: Path) -> None:
    """东湖街道在青石社区建成“就业驿站”: the subdistrict does it, the community is where."""
    draft = _draft(tmp_path, "东湖街道在青石社区建成“就业驿站”，为居民提供岗位信息。")
    assert _facts(draft, "organizedBy") == {("就业驿站", "东湖街道")}


def test_a_bare_word_subject_carries_to_later_clauses(tmp_path: Path) -> None:
    """社区整合物业力量，组建了“红枫”志愿服务队: the community named by its bare word heads
    the sentence, its later clause drops it."""
    body = "青石社区位于东湖街道中部。今年，社区整合物业力量，组建了“红枫”志愿服务队。"
    draft = _draft(tmp_path, body)
    assert _facts(draft, "organizedBy") == {("红枫志愿服务队", "青石社区")}


def test_a_speaker_is_no_organizer(tmp_path: Path) -> None:
    """X公司经理王秀兰介绍，今年开展“Y”活动: the clause before is who says it, not who does it;
    when the clause names its own subject (公司开展…), that one does."""
    body = "东湖街道位于城北。江城机械有限公司经理王秀兰介绍，{}开展“师徒结对”活动，新招工人35名。"
    draft = _draft(tmp_path, body.format("今年"))
    assert ("师徒结对", "江城机械有限公司") not in _facts(draft, "organizedBy")
    own = _draft(tmp_path, body.format("公司"))
    assert ("师徒结对", "江城机械有限公司") in _facts(own, "organizedBy")


def test_partners_listed_before_a_verb_of_doing_together(tmp_path: Path) -> None:
    """东湖街道与X公司合作，在辖区…推行“Y”: X takes part; 与X共建“Y”: X organizes it too."""
    draft = _draft(tmp_path, "东湖街道与江城再生资源回收有限公司合作，在辖区小区推行“绿色回收”。")
    assert ("江城再生资源回收有限公司", "绿色回收") in _facts(draft, "participatesIn")
    same = _draft(tmp_path, "东湖街道与江城再生资源回收有限公司共建“绿色回收”服务站。")
    assert ("绿色回收", "江城再生资源回收有限公司") in _facts(same, "organizedBy")


# ---------------------------------------------------------------- resultOf


def test_a_headline_names_what_the_later_figures_are_the_result_of(tmp_path: Path) -> None:
    """The headline names one initiative; a paragraph that names none reports what was done
    (累计…): its numbers are that initiative's results. A headline naming two names none."""
    article = tmp_path / "articles" / "900_test.txt"
    article.parent.mkdir(parents=True, exist_ok=True)
    body = ("东湖街道：“{}”让小区换新颜\n"
            "今年以来，东湖街道推行“邻里积分”制度，居民参与热情高涨。\n"
            "截至目前，东湖街道累计发放积分3.2万分。\n")  # fmt: skip
    article.write_text(body.format("邻里积分"), encoding="utf-8")
    assert _result_of(ex.extract(article), "3.2") == {"邻里积分"}
    article.write_text(body.format("邻里积分”“楼长制"), encoding="utf-8")
    assert _result_of(ex.extract(article), "3.2") == set()


def test_the_value_before_a_change_is_no_result(tmp_path: Path) -> None:
    """由原来的5天压缩到2天: 5 is the baseline, 2 what the initiative made."""
    draft = _draft(tmp_path, "东湖街道推行“一窗通办”改革，企业开办用时由原来的5天压缩到2天。")
    assert _result_of(draft, "5") == set()
    assert _result_of(draft, "2") == {"一窗通办"}


# ---------------------------------------------------------------- participatesIn


def test_people_at_the_head_of_a_clause_of_work_take_part(tmp_path: Path) -> None:
    """…开展“暖冬行动”。在青石社区，社区党委书记王秀兰和社区干部李明、赵刚带着米面来到困难
    群众家中: all three take part in the campaign; 每周都会上门 is a habit, not the campaign's."""
    draft = _draft(tmp_path, "东湖街道开展“暖冬行动”走访慰问活动，为困难群众送去温暖。\n"
                             "在青石社区，社区党委书记王秀兰和社区干部李明、赵刚带着米面来到困难群众家中。\n"
                             "青石社区网格员孙丽每周都会上门看望独居老人。")  # fmt: skip
    took = {s for s, o in _facts(draft, "participatesIn") if o == "暖冬行动"}
    assert took == {"王秀兰", "李明", "赵刚"}


def test_a_verb_before_the_name_makes_it_no_subject(tmp_path: Path) -> None:
    """社区党委书记李芳邀请志愿者王明来到…: 李芳 heads the clause; 王明 is the object of 邀请."""
    draft = _draft(tmp_path, "东湖街道开展“暖冬行动”走访慰问活动。\n"
                             "社区党委书记李芳邀请志愿者王明来到老人家中义诊。")  # fmt: skip
    took = {s for s, o in _facts(draft, "participatesIn") if o == "暖冬行动"}
    assert took == {"李芳"}


# ---------------------------------------------------------------- serves


def test_a_company_a_paragraph_opens_with_is_served_by_its_one_initiative(tmp_path: Path) -> None:
    """X公司是辖区一家…企业。…工作组多次实地了解情况。随后，街道协调银行…: the paragraph's
    one initiative (named for short) serves it, though no verb of help follows its name."""
    draft = _draft(tmp_path, "东湖街道组建助企工作组，包联辖区规上企业。\n"
                             "江城轴承制造有限公司是辖区一家老牌企业。今年初企业资金紧张，"
                             "工作组多次实地了解情况。"
                             "随后，街道协调银行为企业办理续贷。")  # fmt: skip
    assert ("助企工作组", "江城轴承制造有限公司") in _facts(draft, "serves")


def test_a_figure_in_a_companys_anecdote_is_the_companys(tmp_path: Path) -> None:
    """X公司是辖区一家…企业。…仅用6天就帮助企业落实了新场地: the company's figure; a clause
    that speaks of no company keeps the subdistrict's."""
    draft = _draft(tmp_path, "东湖街道推行“驻企服务员”制度。\n"
                             "辖区企业江西江城数字科技有限公司是一家从事软件开发的企业。今年2月，企业计划扩租，"
                             "驻企服务员李芳得知后，主动对接周边楼宇业主，"
                             "仅用6天就帮助企业落实了新场地。"
                             "今年全街道新增就业岗位300个。")  # fmt: skip
    assert _area(draft, "6") == {"江西江城数字科技有限公司"}
    assert _area(draft, "300") == {"东湖街道"}


# ---------------------------------------------------------------- partOfInitiative


def test_what_a_sentence_sets_up_around_an_initiative_is_part_of_it(tmp_path: Path) -> None:
    """围绕“东湖帮”服务品牌，推行“驻企专员”制度: the scheme is part of the brand; a scheme
    set up in the next sentence is not."""
    draft = _draft(tmp_path, "今年以来，东湖街道围绕“东湖帮”服务品牌，推行“驻企专员”制度。"
                             "街道还建立“企业吹哨”机制。")  # fmt: skip
    assert _facts(draft, "partOfInitiative") == {("驻企专员", "东湖帮")}


def test_places_counted_where_an_initiative_was_set_up_are_its_result(tmp_path: Path) -> None:
    """在辖区12个社区全部建立“邻里议事厅”: the 12 communities are what the initiative made
    (about the subdistrict); without 在/对 the number does not count its ground."""
    draft = _draft(tmp_path, "东湖街道在辖区12个社区全部建立“邻里议事厅”，居民议事有了去处。")
    assert _result_of(draft, "12") == {"邻里议事厅"}
    assert _area(draft, "12") == {"东湖街道"}


def test_a_count_of_communities_is_about_the_area_above_them(tmp_path: Path) -> None:
    """青石社区…。建成“邻里驿站”的社区达到6个: six communities are no one community's."""
    draft = _draft(tmp_path, "东湖街道推行“邻里驿站”。\n"
                             "青石社区的驿站开在小区门口，建成驿站的社区已达6个，"
                             "青石社区还有网格8个。")  # fmt: skip
    assert _area(draft, "6") == {"东湖街道"}
    assert _area(draft, "8") == {"青石社区"}


def test_a_company_said_to_be_an_initiatives_partner_takes_part(tmp_path: Path) -> None:
    """X公司是驿站的合作企业之一 (驿站 for short); 辖区企业X公司也参与进来，为托管班…."""
    draft = _draft(tmp_path, "东湖街道在辖区建成“就业驿站”。\n"
                             "江城恒瑞家政服务有限公司是驿站的合作企业之一，已招聘家政服务员37名。\n"
                             "东湖街道开设“暑期爱心托管班”。辖区企业江城和顺餐饮管理有限公司也参与进来，"
                             "为托管班的孩子免费提供午餐。")  # fmt: skip
    took = _facts(draft, "participatesIn")
    assert ("江城恒瑞家政服务有限公司", "就业驿站") in took
    assert ("江城和顺餐饮管理有限公司", "暑期爱心托管班") in took


def test_the_next_item_of_a_list_is_not_what_a_number_counts(tmp_path: Path) -> None:
    """划分二级网格58个、三级网格326个: 58 counts the items before it, not 三级网格."""
    body = "东湖街道推行“三级网格”管理。目前，东湖街道共划分二级网格58个、三级网格326个。"
    draft = _draft(tmp_path, body)
    assert _area(draft, "58") == {"东湖街道"}
