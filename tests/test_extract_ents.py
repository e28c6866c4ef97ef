"""kg.extract, fourth round: people, posts, places and organizations.

Every case is a sentence invented for the rule it tests (names, places and numbers made up),
so that the rules are seen to say what the language does, not what one article says.
"""

from __future__ import annotations

import pytest

from kg import extract as ex


def _draft(body: str) -> ex.Draft:
    return ex.extract_text("测试标题：街道工作简讯\n" + body + "\n", "900_test.txt", "900")


def _by_label(draft: ex.Draft, label: str) -> ex.DraftEntity:
    return next(e for e in draft.entities if e.label == label)


def _labels(draft: ex.Draft, type_: str) -> set[str]:
    return {e.label for e in draft.entities if e.type == type_ and e.label}


def _part_of(draft: ex.Draft, label: str) -> set[str]:
    """The ids a place is part of, as a property or as a fact of its own."""
    e = _by_label(draft, label)
    found = {e.props["partOf"]} if "partOf" in e.props else set()
    facts = draft.facts
    found |= {f["object"] for f in facts if f["subject"] == e.id and f["predicate"] == "partOf"}
    return {str(x) for x in found}


# ---------------------------------------------------------------- communities and places


@pytest.mark.parametrize(
    ("body", "label", "parent"),
    [
        # a numeral that begins a name is no count (七彩, 三元), one with 个 is
        ("在白鹭街道七彩社区，居民积极参与。", "七彩社区", "白鹭街道"),
        # a common word before 村 names the village when its town is written right before
        ("在青岗镇石板村，队员疏通涵洞。", "石板村", "青岗镇"),
    ],
)
def test_a_community_written_after_its_area(body: str, label: str, parent: str) -> None:
    draft = _draft(body)
    assert _part_of(draft, label) == {_by_label(draft, parent).id}


def test_a_count_before_a_community_word_is_no_name() -> None:
    draft = _draft("白鹭街道已改造2个小区、十个村，三无小区全部清零。")
    assert not _labels(draft, "Community") and not _labels(draft, "Place")


@pytest.mark.parametrize(
    "body",
    [
        "白鹭街道地处城东。在辖区东坪村、西坪村试点。",  # 辖区 is the article's 街道, for the list
        "白鹭街道地处城东。在街道北部的东坪村和西坪村，村民很多。",  # 街道…的 too
        "近日，白鹭街道东坪村和西坪村的干部连续奋战。",  # the second item shares the first's
    ],
)
def test_every_item_of_a_list_of_villages_is_in_the_area(body: str) -> None:
    draft = _draft(body)
    sub = _by_label(draft, "白鹭街道").id
    assert _part_of(draft, "东坪村") == {sub}
    assert _part_of(draft, "西坪村") == {sub}


def test_a_street_that_ends_a_name_is_not_the_bare_subdistrict() -> None:
    """A community after a name ending in 街道 is placed by that name, not by the bare word."""
    draft = _draft("青禾区白鹭街道与红枫街道交界。红枫街道东坪村召开会议。")
    assert _part_of(draft, "东坪村") == {_by_label(draft, "红枫街道").id}


def test_a_list_of_areas_after_their_district() -> None:
    draft = _draft("近日，柯城区白鹭街道、红枫街道、云杉街道开展巡查。")
    district = _by_label(draft, "柯城区").id
    for name in ("白鹭街道", "红枫街道", "云杉街道"):
        assert _part_of(draft, name) == {district}


def test_a_list_of_towns_after_their_county() -> None:
    draft = _draft("面对旱情，开化县石门镇、松林镇等乡镇多措并举。")
    county = _by_label(draft, "开化县").id
    for name in ("石门镇", "松林镇"):
        assert _part_of(draft, name) == {county}


def test_a_roundup_of_a_district_inside_a_named_city() -> None:
    """七里河区各街道 with its city written before: the district's subdistricts all the same."""
    draft = _draft("今年以来，衢州市柯城区各街道结合实际。白鹭街道推行积分制。红枫街道推行督导制。")
    district = _by_label(draft, "柯城区").id
    assert _part_of(draft, "白鹭街道") == {district}
    assert _part_of(draft, "红枫街道") == {district}


# ---------------------------------------------------------------- people and posts


def _posts(draft: ex.Draft, person: str) -> set[tuple[str, str]]:
    """(place or body, role) of each post the person holds."""
    by_id = {e.id: e for e in draft.entities}
    held = _by_label(draft, person).props.get("holds", [])
    out = set()
    for pid in held if isinstance(held, list) else [held]:
        post = by_id[str(pid)]
        out.add((by_id[str(post.props["postIn"])].label, by_id[str(post.props["role"])].label))
    return out


@pytest.mark.parametrize(
    ("body", "person", "posts"),
    [
        # a title after the name, in brackets; a function word before the name is not in it
        ("会议由王一（白鹭街道党工委书记）主持。", "王一", {("白鹭街道", "党工委书记")}),
        # a verb of appointment between the name and the title
        (
            "白鹭街道召开大会，宣布周建国同志任街道党工委书记。",
            "周建国",
            {("白鹭街道", "党工委书记")},
        ),
        # 武装部长 is one title (not 武装部 + 部长), chained after another
        (
            "白鹭街道党工委委员、武装部长何建军带队。",
            "何建军",
            {("白鹭街道", "党工委委员"), ("白鹭街道", "武装部长")},
        ),
        # a bare 社区 before a title held by no official says whose post it is
        (
            "白鹭街道花园社区和东坪村开展巡查。社区网格员罗小梅负责3号网格。",
            "罗小梅",
            {("花园社区", "网格员")},
        ),
        ("白鹭街道东坪村召开会议。村网格员马小川建起微信群。", "马小川", {("东坪村", "网格员")}),
        # a body named by its place and its kind alone
        ("白鹭街道派出所所长郑立伟介绍情况。", "郑立伟", {("白鹭街道派出所", "所长")}),
    ],
)
def test_posts_in_the_forms_pages_write_them(
    body: str, person: str, posts: set[tuple[str, str]]
) -> None:
    assert _posts(_draft(body), person) == posts


def test_a_bare_community_before_a_police_title_is_no_place() -> None:
    """社区民警 is the police's title: the community before it is not where the post is."""
    draft = _draft("白鹭街道花园社区召开会议。社区民警郑小伟介绍情况。")
    assert _posts(draft, "郑小伟") == set()


@pytest.mark.parametrize(
    ("body", "person"),
    [
        ("“方便多了。”82岁的刘振声老人说。", "刘振声"),  # an age before the name
        ("“都是孩子分。”家长钱小新笑着说。", "钱小新"),
        ("在东坪村，种粮大户贺明德承包的水稻田灌上了水。", "贺明德"),
    ],
)
def test_a_person_of_the_story_after_an_age_or_a_description(body: str, person: str) -> None:
    draft = _draft(body)
    assert _by_label(draft, person).type == "Person"


def test_an_age_between_a_title_and_a_description_keeps_the_title() -> None:
    draft = _draft("白鹭街道银龄志愿队队长、67岁的退休职工杜秀英带队巡查。")
    assert "杜秀英" in _labels(draft, "Person") | _labels(draft, "Official")
    assert _by_label(draft, "杜秀英").props.get("holds")


def test_the_two_committees_members_are_members_of_the_community() -> None:
    draft = _draft("在辖区安顺社区，社区“两委”成员刘佳、王志刚、赵晓红清理积雪。")
    community = _by_label(draft, "安顺社区").id
    for name in ("刘佳", "王志刚", "赵晓红"):
        assert _by_label(draft, name).props["memberOf"] == [community]


# ---------------------------------------------------------------- zones and where companies are


@pytest.mark.parametrize(
    ("body", "label"),
    [
        ("在青禾智造产业园，一家新工厂已进入调试阶段。", "青禾智造产业园"),
        ("凤栖湾商圈的商户也被纳入了积分体系。", "凤栖湾商圈"),
    ],
)
def test_a_zone_is_a_place(body: str, label: str) -> None:
    draft = _draft(body)
    assert _by_label(draft, label).type == "Place"


def test_a_zone_named_by_its_area_and_one_in_the_area() -> None:
    draft = _draft("白鹭街道地处城东。街道将在辖区青禾工业园推行“企业服务日”制度。")
    assert _by_label(draft, "青禾工业园").props["locatedIn"] == _by_label(draft, "白鹭街道").id


def test_a_zone_followed_by_project_is_no_place() -> None:
    draft = _draft("白鹭街道引进青禾半导体材料产业园项目，总投资18亿元。")
    assert not _labels(draft, "Place")


def _located(draft: ex.Draft, label: str) -> set[str]:
    e = _by_label(draft, label)
    found = {str(e.props["locatedIn"])} if "locatedIn" in e.props else set()
    facts = draft.facts
    return found | {
        str(f["object"]) for f in facts if f["subject"] == e.id and f["predicate"] == "locatedIn"
    }


def test_every_company_of_a_list_after_the_area_word_is_in_the_area() -> None:
    draft = _draft(
        "白鹭街道地处城东。目前，辖区青禾精密模具有限公司、白鹭汽车零部件有限公司、"
        "青禾润生物科技有限公司等一批重点企业已满负荷生产。"
    )
    sub = _by_label(draft, "白鹭街道").id
    for name in ("青禾精密模具有限公司", "白鹭汽车零部件有限公司", "青禾润生物科技有限公司"):
        assert _located(draft, name) == {sub}


def test_a_company_that_is_one_of_the_areas() -> None:
    draft = _draft("白鹭街道地处城东。洛阳青禾轴承制造有限公司是辖区一家老牌企业。")
    assert _located(draft, "洛阳青禾轴承制造有限公司") == {_by_label(draft, "白鹭街道").id}


def test_an_online_shop_is_no_enterprise() -> None:
    assert not _labels(_draft("积分可在社区兑换点和线上商城使用。"), "Enterprise")


# ---------------------------------------------------------------- organizations


@pytest.mark.parametrize(
    ("body", "label", "head", "located"),
    [
        # jieba reads 协会会长 as one word: the body's name ends before its head's title
        ("白鹭街道个体劳动者协会会长王大明介绍。", "白鹭街道个体劳动者协会", "王大明", "白鹭街道"),
        # a verb naming the body's field is inside its name (组织, 回收)
        ("白鹭街道社会组织联合会会长钱志刚说。", "白鹭街道社会组织联合会", "钱志刚", "白鹭街道"),
        # places written one inside the next begin the name; the body is in the innermost
        (
            "锦溪街道地处城西。南海区锦溪街道长者服务中心主任李小红介绍。",
            "南海区锦溪街道长者服务中心",
            "李小红",
            "锦溪街道",
        ),
    ],
)
def test_a_body_named_after_its_place(body: str, label: str, head: str, located: str) -> None:
    draft = _draft(body)
    org = _by_label(draft, label)
    assert org.type == "Organization"
    assert org.props["locatedIn"] == _by_label(draft, located).id
    assert {p for p, _ in _posts(draft, head)} == {label}


def test_a_districts_own_body_is_not_placed_in_the_district() -> None:
    draft = _draft("白鹭街道联合台江区再生资源回收协会，设置智能回收柜38台。")
    org = _by_label(draft, "台江区再生资源回收协会")
    assert org.type == "Organization" and "locatedIn" not in org.props


# ---------------------------------------------------------------- fourth round, third tuning set


@pytest.mark.parametrize(
    ("body", "person"),
    [
        ("白鹭街道党工委副书记、办事处主任杨慧主持会议。", "杨慧"),  # 主持 follows the name
        ("白鹭街道党工委副书记、办事处主任蒋丽任副总指挥。", "蒋丽"),  # jieba's 蒋丽任
    ],
)
def test_a_verb_right_after_a_name_is_not_part_of_it(body: str, person: str) -> None:
    draft = _draft(body)
    assert _posts(draft, person) == {("白鹭街道", "党工委副书记"), ("白鹭街道", "办事处主任")}


def test_a_list_member_before_an_adverb() -> None:
    draft = _draft("白鹭街道翠竹社区“两委”成员王建平、朱雯雯、沈涛逐户上门。")
    assert {"王建平", "朱雯雯", "沈涛"} <= _labels(draft, "Person")


def test_a_character_right_after_a_district_begins_the_name_everywhere() -> None:
    """城阳区望|海岭街道: 望 reads as a verb, but right after a district it begins the name, and
    the name so read is the one meant where no district comes before (。望海岭街道党工委)."""
    draft = _draft("青岛市城阳区望海岭街道出台六项措施。”望海岭街道党工委委员高俊峰说。")
    assert _labels(draft, "Subdistrict") == {"望海岭街道"}
    assert _posts(draft, "高俊峰") == {("望海岭街道", "党工委委员")}


def test_a_town_after_a_preposition() -> None:
    assert "银坑口镇" in _labels(_draft("在银坑口镇，镇里组建服务队12支。"), "Town")


def test_markets_and_food_streets_listed_in_the_area() -> None:
    draft = _draft("白鹭街道枫港农贸市场和青枫里美食街人气很旺。")
    sub = _by_label(draft, "白鹭街道").id
    for name in ("枫港农贸市场", "青枫里美食街"):
        assert _by_label(draft, name).type == "Place"
        assert _located(draft, name) == {sub}


def test_a_cooperative_and_its_head() -> None:
    draft = _draft("在东坪村，青禾县丰收蔬菜种植专业合作社的大棚里很忙。合作社负责人谢永福说。")
    coop = "青禾县丰收蔬菜种植专业合作社"
    assert _by_label(draft, coop).type == "Enterprise"
    assert _posts(draft, "谢永福") == {(coop, "负责人")}


def test_a_federation_of_trade_unions_is_an_organization() -> None:
    draft = _draft("白鹭街道联合江宁区总工会建成驿站。")
    assert _by_label(draft, "江宁区总工会").type == "Organization"


def test_an_origin_is_no_place_of_the_story() -> None:
    draft = _draft("“冬天也不怕冻手了。”来自安徽阜阳的骑手王小虎说。")
    assert not _labels(draft, "Province") and not _labels(draft, "City")
    assert _by_label(draft, "王小虎").type == "Person"


def test_a_village_of_this_town() -> None:
    draft = _draft("黄麟坳乡地处山区。乡里还在该乡石垄村举办培训班5期。")
    assert _part_of(draft, "石垄村") == {_by_label(draft, "黄麟坳乡").id}


def test_an_industry_word_before_a_zone_is_no_company() -> None:
    draft = _draft("走进青禾市松岭街道松岭智能装备产业园，车间里很忙。")
    assert not _labels(draft, "Enterprise")
    assert _by_label(draft, "松岭智能装备产业园").type == "Place"


@pytest.mark.parametrize(
    ("body", "person", "posts"),
    [
        ("白鹭街道东坪村村支书马福生带头。", "马福生", {("东坪村", "村支书")}),
        # 村村 is "every village" only when no title follows (村主任 is one)
        ("白鹭街道东坪村村主任马福海说。", "马福海", {("东坪村", "村主任")}),
        # an office of the subdistrict before a title
        ("白鹭街道党政办主任陈小东说。", "陈小东", {("白鹭街道", "党政办主任")}),
        (
            "白鹭街道党工委书记、一级调研员林海涛表示。",
            "林海涛",
            {("白鹭街道", "党工委书记"), ("白鹭街道", "一级调研员")},
        ),
    ],
)
def test_more_titles_of_villages_and_offices(
    body: str, person: str, posts: set[tuple[str, str]]
) -> None:
    assert _posts(_draft(body), person) == posts


def test_a_brand_with_a_common_word_in_it_is_no_company() -> None:
    """多家头部新能源车企: 头部 is a word, so 头部新 + 能源 is no brand; 公司总经理 after it is the
    post of the company named before."""
    draft = _draft(
        "白鹭街道地处城东。无锡青芯微电子有限公司的产品进入多家头部新能源车企的供应链。"
        "公司总经理冯立群介绍，企业现有员工520名。"
    )
    assert _labels(draft, "Enterprise") == {"无锡青芯微电子有限公司"}
    assert _posts(draft, "冯立群") == {("无锡青芯微电子有限公司", "总经理")}


def test_a_short_form_written_out_is_the_company() -> None:
    draft = _draft("浙江禾青智能装备有限公司落户街道。禾青智能装备总经理邵雨婷说，专利新增5项。")
    assert _labels(draft, "Enterprise") == {"浙江禾青智能装备有限公司"}
    assert _posts(draft, "邵雨婷") == {("浙江禾青智能装备有限公司", "总经理")}


def test_a_company_before_its_project_manager_is_no_project() -> None:
    """公司项目经理: 项目 begins the title of the company's manager, not a project's name."""
    draft = _draft("承建科创园二期的宁夏青盛建设工程有限公司项目经理马文礼介绍，进度过半。")
    company = "宁夏青盛建设工程有限公司"
    assert _by_label(draft, company).type == "Enterprise"
    assert _posts(draft, "马文礼") == {(company, "项目经理")}
    assert not _labels(draft, "Initiative")


def test_numbered_grids_and_stairwells_are_places_of_their_community() -> None:
    draft = _draft(
        "白鹭街道云岭社区8栋2单元的单元长杨秀芬是一名退休教师。网格员何晓梅负责的3号网格有住户420户。"
    )
    unit = _by_label(draft, "8栋2单元")
    assert unit.type == "Place" and unit.props["locatedIn"] == _by_label(draft, "云岭社区").id
    assert _by_label(draft, "3号网格").type == "Place"
    assert _posts(draft, "杨秀芬") == {("云岭社区", "单元长")}  # the community's post


def test_a_kind_of_community_is_no_name_and_the_bare_word_finds_the_named_one() -> None:
    draft = _draft(
        "溪岸社区是白鹭街道的老城社区，常住居民4200余户。社区党委书记、居委会主任罗晓梅介绍。"
    )
    assert _labels(draft, "Community") == {"溪岸社区"}
    assert _posts(draft, "罗晓梅") == {("溪岸社区", "社区党委书记"), ("溪岸社区", "居委会主任")}


def test_a_village_that_lies_in_the_area() -> None:
    draft = _draft("青杠村地处白鹭街道北部，全村410户。")
    assert _labels(draft, "Subdistrict") == {"白鹭街道"}  # 地处 is no part of the name
    assert _part_of(draft, "青杠村") == {_by_label(draft, "白鹭街道").id}


def test_a_character_at_the_edge_before_a_rare_word_begins_a_company() -> None:
    draft = _draft("村里成立了青杠村绿源农产品专业合作社，统一收购。")
    assert _labels(draft, "Enterprise") == {"青杠村绿源农产品专业合作社"}


def test_a_bare_team_word_before_a_title_is_the_team_named_before() -> None:
    draft = _draft(
        "溪岸社区的“银发先锋”志愿服务队常到村里帮忙。服务队队长、退休教师周光荣说，队员很多。"
    )
    assert _posts(draft, "周光荣") == {("银发先锋志愿服务队", "队长")}


def test_a_company_finance_director() -> None:
    draft = _draft("长春华青汽车零部件有限公司是重点企业。公司财务总监韩冰介绍，产值增长。")
    assert _posts(draft, "韩冰") == {("长春华青汽车零部件有限公司", "财务总监")}


def test_a_company_department_before_a_title() -> None:
    draft = _draft("常州青润燃气服务有限公司是供应企业。公司安全运行部经理许光明介绍，用户很多。")
    assert _posts(draft, "许光明") == {("常州青润燃气服务有限公司", "安全运行部经理")}
    # a party department is no company's
    assert not _by_label(_draft("区委宣传部部长王大海出席。"), "王大海").props.get("holds")
