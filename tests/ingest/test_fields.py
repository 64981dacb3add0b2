"""The opening sentence, the signature, claimed counts and contacts (fictional examples)."""

import pytest

from zhenggai.ingest import fields as _fields
from zhenggai.ingest.normalise import normalise


class fields:
    @staticmethod
    def opening(texts):
        return _fields.opening(normalise(texts))

    @staticmethod
    def report_meta(texts, *args):
        return _fields.report_meta(normalise(texts), *args)

    @staticmethod
    def claimed(texts):
        return _fields.claimed(normalise(texts))

    @staticmethod
    def contacts(texts):
        return _fields.contacts(normalise(texts))


OPENING = (
    "根据县委统一部署,2022年9月5日至11月3日,县委第二巡察组对青禾县农业农村局党组进行了专项巡察。"
    "12月8日,县委巡察组向青禾县农业农村局党组反馈了巡察意见。"
)


def test_the_opening_sentence_gives_team_committee_unit_kind_and_dates():
    insp = fields.opening(["关于巡察整改情况的通报", OPENING])
    assert insp.team == "县委第二巡察组"
    assert insp.committee == "县委"
    assert insp.unit == "青禾县农业农村局党组"
    assert insp.kind == "专项巡察"
    assert (insp.start, insp.end, insp.feedback_date) == ("2022-09-05", "2022-11-03", "2022-12-08")


def test_a_date_without_year_that_would_go_backwards_moves_to_the_next_year():
    text = "2022年11月10日至12月20日,市委第四巡察组对某某单位进行了巡察。1月6日反馈了巡察意见。"
    insp = fields.opening([text])
    assert (insp.start, insp.end, insp.feedback_date) == ("2022-11-10", "2022-12-20", "2023-01-06")


def test_no_feedback_sentence_leaves_the_date_unknown():
    insp = fields.opening(["根据市委统一部署,2021年3月1日至4月30日,市委第一巡察组对某某局党组开展了政治巡察。"])
    assert insp.feedback_date is None
    assert insp.kind == "政治巡察"


def test_signature_and_date_at_the_end_give_publisher_and_report_date():
    report = fields.report_meta(["正文。", "中共青禾县农业农村局党组", "2023年2月28日"], None, None, "a.txt")
    assert (report.publisher, report.date, report.source) == ("中共青禾县农业农村局党组", "2023-02-28", "a.txt")


def test_a_date_in_chinese_numerals_is_read():
    report = fields.report_meta(["正文。", "中共某某镇委员会", "二〇二三年十二月五日"], None, None, "b.txt")
    assert report.date == "2023-12-05"


def test_a_title_line_is_kept_as_the_report_title():
    report = fields.report_meta(["中共某某镇委员会关于巡察整改进展情况的通报", OPENING], None, None, "c.txt")
    assert report.title == "中共某某镇委员会关于巡察整改进展情况的通报"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "巡察反馈的12个问题40个具体问题,已完成整改36个,基本完成整改4个。",
            {"problems": 12, "items": 40, "completed": 36, "basically_completed": 4},
        ),
        (
            "反馈的4方面25个具体问题,现已完成整改22个,正在推进整改2个,长期坚持1个。",
            {"aspects": 4, "items": 25, "completed": 22, "in_progress": 2, "long_term": 1},
        ),
        ("针对巡察组反馈的五个方面18项整改任务,目前已经完成18项。", {"aspects": 5, "items": 18, "completed": 18}),
    ],
)
def test_claimed_counts_are_what_the_report_states(text, expected):
    claimed = fields.claimed(["召开党组会议5次,制定制度8项。", text])
    got = {k: v for k, v in vars(claimed).items() if v is not None}
    assert got == expected


def test_counts_of_other_things_are_not_claims():
    claimed = fields.claimed(["整改期间召开党组会议5次,修订制度26项,退还资金3.2万元。"])
    assert all(v is None for v in vars(claimed).values())


def test_contacts_from_the_invitation_to_supervise():
    contact = fields.contacts(
        [
            "欢迎广大干部群众监督。联系电话:0871-6612345;邮政信箱:青禾县政务中心3楼302室,邮编:654300;"
            "电子邮箱:qhnyj@example.cn。"
        ]
    )
    assert contact.phones == ["0871-6612345"]
    assert contact.emails == ["qhnyj@example.cn"]
    assert contact.address == "青禾县政务中心3楼302室"


def test_a_mobile_number_and_a_dash_written_as_a_long_dash():
    contact = fields.contacts(["联系电话:0744—6612345、13912345678。"])
    assert contact.phones == ["0744—6612345", "13912345678"]


def test_a_title_broken_over_two_lines_is_joined():
    report = fields.report_meta(
        ["中共某某县农业农村局党组关于巡察", "整改进展情况的通报", OPENING], None, None, "d.pdf"
    )
    assert report.title == "中共某某县农业农村局党组关于巡察整改进展情况的通报"
    report = fields.report_meta(["关于县委第二巡察组反馈问题整改情况的通", "报", OPENING], None, None, "e.pdf")
    assert report.title == "关于县委第二巡察组反馈问题整改情况的通报"


def test_an_issuer_line_under_a_whole_title_is_not_part_of_it():
    report = fields.report_meta(["关于巡察整改情况的通报", "中共某某局党组", OPENING], None, None, "f.txt")
    assert report.title == "关于巡察整改情况的通报"
