"""Rules of issue 18, fourth round: which initiative a number is the result of, whom an
initiative serves, which initiative is part of which, who takes part (invented sentences)."""

from __future__ import annotations

from pathlib import Path

import pytest

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
    """(subject, object) of every statement of a predicate, as a property or a fact; an
    entity by its label, a metric by its value."""
    found = {(_name(draft, f["subject"]), _name(draft, f["object"]))
             for f in draft.facts if f["predicate"] == predicate}  # fmt: skip
    for e in draft.entities:
        values = e.props.get(predicate)
        for value in values if isinstance(values, list) else [values] if values else []:
            found.add((_name(draft, e.id), _name(draft, value)))
    return found


def _result_of(draft: ex.Draft, value: str) -> set[str]:
    return {o for s, o in _facts(draft, "resultOf") if s == value}


# ---------------------------------------------------------------- resultOf


def test_initiative_named_in_the_clause_of_a_number_is_its_result(tmp_path: Path) -> None:
    """召开议事会32场: the meetings held are what the body did, a result, not its size; and
    a body named in the number's own sentence made the numbers after it."""
    draft = _draft(tmp_path, "东湖街道推行“邻里议事会”机制。今年以来，社区共召开议事会32场，"
                             "收集意见建议150余条。")  # fmt: skip
    assert _result_of(draft, "32") == {"邻里议事会"}
    assert _result_of(draft, "150") == {"邻里议事会"}


def test_staff_put_into_a_team_are_no_result(tmp_path: Path) -> None:
    """抽调机关干部45名分别组成9个助企小分队: the 45 are the teams' staff."""
    draft = _draft(tmp_path, "东湖街道开展“暖企行动”，抽调机关干部45名分别组成9个助企小分队，"
                             "走访企业300余家。")  # fmt: skip
    assert _result_of(draft, "45") == set()
    assert ("45", "助企小分队") in _facts(draft, "refArea")


def test_numbers_reported_at_a_meeting_are_not_its_result(tmp_path: Path) -> None:
    draft = _draft(tmp_path, "东湖街道召开经济运行分析会。会议通报，上半年全街道完成税收8.6亿元。")
    assert _result_of(draft, "8.6") == set()


def test_an_area_heading_a_new_sentence_counts_its_own(tmp_path: Path) -> None:
    """A team named in one sentence; the next opens with a community: its count."""
    body = "东湖街道组建党员突击队，帮助群众转移。截至18时，青石社区已转移群众120户。"
    draft = _draft(tmp_path, body)
    assert _result_of(draft, "120") == set()
    kept = _draft(tmp_path, "东湖街道组建党员突击队，帮助群众转移，已转移群众120户。")
    assert _result_of(kept, "120") == {"党员突击队"}


# ---------------------------------------------------------------- serves

_TEAM = "东湖街道组建助企服务队，深入辖区企业开展帮扶。\n"


@pytest.mark.parametrize(
    "body",
    [
        # the company named before in the paragraph, the team's short form then a verb of help
        "辖区企业青禾食品有限公司是一家冷链企业。今年3月，企业原料运输受阻，服务队协助企业"
        "办理通行证8张。",
        # inside a quotation, the speaker's company
        "“服务队帮我们解决了用工难题。”青禾食品有限公司总经理王立说。",
        # the company heads the paragraph before; this one says 企业 and the verb follows
        "青禾食品有限公司是辖区一家食品企业。\n得知企业的难处后，助企服务队上门对接。",
    ],
)
def test_an_initiative_serves_the_company_an_anecdote_is_about(tmp_path: Path, body: str) -> None:
    draft = _draft(tmp_path, _TEAM + body)
    assert _facts(draft, "serves") == {("助企服务队", "青禾食品有限公司")}


@pytest.mark.parametrize(
    "body",
    [
        # no verb of help after the team
        "辖区企业青禾食品有限公司是一家冷链企业。服务队成员共有12名。",
        # the company heads the paragraph before, but the help is to all companies
        "青禾食品有限公司是辖区一家食品企业。\n企业发展离不开服务，助企服务队为企业提供融资对接等服务。",
        # the company is named too far before
        "辖区企业青禾食品有限公司是一家冷链企业。" + "今年街道持续优化营商环境，" * 12
        + "服务队协助企业办理通行证8张。",
    ],
)
def test_no_serves_without_an_anecdote(tmp_path: Path, body: str) -> None:
    assert _facts(_draft(tmp_path, _TEAM + body), "serves") == set()


# ---------------------------------------------------------------- initiatives and their parts


def _initiatives(draft: ex.Draft) -> set[str]:
    return {e.label for e in draft.entities if e.type == "Initiative" and e.label}


def test_a_body_set_up_with_its_head_named_first(tmp_path: Path) -> None:
    """成立由X任组长，Y任副组长的Z: Z is the body, X and Y lead it (not the campaign before)."""
    draft = _draft(tmp_path, "东湖街道开展“春风行动”，成立由街道党工委书记王立明任组长，"
                             "办事处副主任李秀英任副组长的稳岗工作组，联系企业30家。")  # fmt: skip
    assert "稳岗工作组" in _initiatives(draft)
    assert _facts(draft, "leads") == {("王立明", "稳岗工作组"), ("李秀英", "稳岗工作组")}


def test_quoted_names_counted_after_them_are_parts(tmp_path: Path) -> None:
    draft = _draft(tmp_path, "东湖街道搭建“东湖e站”平台，下设“政策快递”“诉求快办”两个服务模块。")
    assert {"政策快递", "诉求快办"} <= _initiatives(draft)
    assert _facts(draft, "partOfInitiative") == {("政策快递", "东湖e站"), ("诉求快办", "东湖e站")}
    wrong = _draft(tmp_path, "东湖街道搭建“东湖e站”平台，下设“政策快递”“诉求快办”三个服务模块。")
    assert _facts(wrong, "partOfInitiative") == set()  # the count is not theirs


def test_what_the_work_is_carried_out_by(tmp_path: Path) -> None:
    """以“X”为抓手: X is an initiative even without a trigger or a head."""
    assert "邻里互助" in _initiatives(_draft(tmp_path, "东湖街道以“邻里互助”为抓手推进社区治理。"))
    assert "邻里互助" not in _initiatives(_draft(tmp_path, "东湖街道倡导“邻里互助”的风尚。"))


def test_a_quoted_name_and_its_kind_are_one_name_too(tmp_path: Path) -> None:
    draft = _draft(tmp_path, "东湖街道推行“三问”工作法，听取居民意见。")
    e = next(e for e in draft.entities if e.label == "三问")
    assert "三问工作法" in e.alt_labels


def test_a_project_manager_is_no_project(tmp_path: Path) -> None:
    draft = _draft(tmp_path, "施工单位东湖建设工程有限公司项目经理张伟说，工期已经过半。")
    assert not any(label.endswith("项目") for label in _initiatives(draft))


def test_a_quoted_list_before_the_word_of_a_mechanism_is_one_name(tmp_path: Path) -> None:
    one = _draft(tmp_path, "东湖街道推行“小区吹哨、部门报到”工作机制，快速处置问题。")
    assert "小区吹哨、部门报到" in _initiatives(one)
    two = _draft(tmp_path, "东湖街道坚持“一企一策、一事一议”，帮助企业复工。")
    assert {"一企一策", "一事一议"} <= _initiatives(two)
    described = _draft(tmp_path, "东湖街道按照“政府主导、企业参与”的模式建成食堂。")
    assert not any("、" in label for label in _initiatives(described))  # ...的模式: a description


def test_a_body_formed_of_its_members_and_its_leaders(tmp_path: Path) -> None:
    """带领由...组成的N个Y: Y is a body; the people listed before 分别带领 lead it."""
    draft = _draft(tmp_path, "东湖街道开展燃气安全专项行动。街道党工委书记王立明任总指挥，"
                             "街道领导陈东、李南分别带领由城管、社区人员组成的3个督查组，"
                             "排查餐饮店铺120家。")  # fmt: skip
    assert "督查组" in _initiatives(draft)
    led = _facts(draft, "leads")
    assert {("陈东", "督查组"), ("李南", "督查组"), ("王立明", "燃气安全专项行动")} <= led


def test_partners_organize_or_take_part(tmp_path: Path) -> None:
    """联合X、Y开展Z (one clause): X and Y organize Z; 联合X，...Z (next clause): X takes part."""
    same = _draft(tmp_path, "东湖街道联合东湖派出所、青禾燃气有限公司开展“燃气安全宣传周”活动。")
    assert {("燃气安全宣传周", "东湖派出所"), ("燃气安全宣传周", "青禾燃气有限公司")} <= _facts(
        same, "organizedBy"
    )
    later = _draft(tmp_path, "今年，东湖街道联合东湖派出所、青禾物业服务有限公司，在辖区小区试点"
                             "“统一管家”服务。")  # fmt: skip
    assert ("青禾物业服务有限公司", "统一管家") in _facts(later, "participatesIn")
    assert _facts(later, "organizedBy") & {("统一管家", "青禾物业服务有限公司")} == set()


def test_what_an_item_of_a_numbered_list_sets_up_is_its_part(tmp_path: Path) -> None:
    body = ("东湖街道推出“三个一”举措。一是畅通一批政策渠道。街道组建政策宣讲团，上门宣讲。"
            "二是解决一批用工难题。街道举办“春风行动”招聘会。三是推出一批便利服务。")  # fmt: skip
    parts = _facts(_draft(tmp_path, body), "partOfInitiative")
    assert ("政策宣讲团", "畅通一批政策渠道") in parts
    assert ("畅通一批政策渠道", "三个一") in parts
    assert ("政策宣讲团", "解决一批用工难题") not in parts


def test_a_body_set_up_for_a_programme_of_its_sentence_is_its_part(tmp_path: Path) -> None:
    draft = _draft(tmp_path, "东湖街道深入开展“三服务”活动，组建12支助企服务小分队。")
    assert ("助企服务小分队", "三服务") in _facts(draft, "partOfInitiative")
    meeting = _draft(tmp_path, "东湖街道召开复工推进会，组建复工服务队，走访企业300家。")
    assert _facts(meeting, "partOfInitiative") == set()


# ---------------------------------------------------------------- the campaign an article reports

_CAMPAIGN = ("东湖街道开展燃气安全专项排查行动，对辖区餐饮场所逐一排查。\n"
             "截至6月20日，街道共排查餐饮场所312家，发现隐患问题47处。\n")  # fmt: skip


def test_a_number_of_a_later_paragraph_is_the_campaign_s_result(tmp_path: Path) -> None:
    draft = _draft(tmp_path, _CAMPAIGN + "青禾燃气有限公司是辖区燃气企业，共有用户4.2万户。")
    assert _result_of(draft, "312") == {"燃气安全专项排查行动"}
    assert _result_of(draft, "47") == {"燃气安全专项排查行动"}  # the sentence says 共
    assert _result_of(draft, "4.2") == set()  # a company's own figure; 共有 is no result word


def test_people_taking_part_in_a_later_paragraph_join_the_campaign(tmp_path: Path) -> None:
    draft = _draft(tmp_path, _CAMPAIGN + "活动期间，志愿者张宏伟、苏日娜等参与了入户宣传。")
    part = _facts(draft, "participatesIn")
    assert {("张宏伟", "燃气安全专项排查行动"), ("苏日娜", "燃气安全专项排查行动")} <= part
    none = _draft(tmp_path, "东湖街道召开安全生产推进会。\n志愿者张宏伟参与了入户宣传。")
    assert _facts(none, "participatesIn") == set()  # a meeting is no campaign


def test_a_place_described_after_zai_is_where_an_initiative_runs(tmp_path: Path) -> None:
    body = "东湖街道组织抢险。在街道北部的美竹村，村党支部书记王立明组织党员突击队30人加固堤坝。"
    assert ("党员突击队", "美竹村") in _facts(_draft(tmp_path, body), "takesPlaceIn")
    far = "东湖街道组织抢险。在街道北部地势最低洼的一片区域的美竹村，党员突击队加固堤坝。"
    assert ("党员突击队", "美竹村") not in _facts(_draft(tmp_path, far), "takesPlaceIn")


def test_companies_that_received_what_an_initiative_gives(tmp_path: Path) -> None:
    body = ("东湖街道设立300万元助企发展专项资金。\n目前，青禾食品有限公司、东湖精密机械有限公司等"
            "首批12家企业已享受到奖励资金。")  # fmt: skip
    served = _facts(_draft(tmp_path, body), "serves")
    fund = "助企发展专项资金"
    assert served == {(fund, "青禾食品有限公司"), (fund, "东湖精密机械有限公司")}
    other = body.replace("享受到奖励资金", "享受到租金减免")  # nothing drafted gives that
    assert _facts(_draft(tmp_path, other), "serves") == set()
