"""Images the benchmarks read, drawn with Pillow and Noto CJK (no committed fixtures)."""

from __future__ import annotations

from PIL import Image, ImageDraw, ImageFont

FONT_PATH = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
ID_NUMBER = "110105199003071234"


def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(FONT_PATH, size)


def id_card() -> Image.Image:
    """The front of a resident ID card, 1012×638 px: Chinese fields and the 18-digit number."""
    image = Image.new("RGB", (1012, 638), (236, 240, 245))
    canvas = ImageDraw.Draw(image)
    fields = [
        ((60, 60), "姓名  张伟"),
        ((60, 130), "性别  男    民族  汉"),
        ((60, 200), "出生  1990 年 3 月 7 日"),
        ((60, 270), "住址  北京市朝阳区建国路88号"),
        ((60, 330), "      3号楼2单元501室"),
    ]
    for position, text in fields:
        canvas.text(position, text, font=_font(34), fill=(20, 20, 20))
    canvas.rectangle((700, 60, 950, 380), outline=(150, 150, 150), width=3)  # photo frame
    canvas.text((60, 520), f"公民身份号码  {ID_NUMBER}", font=_font(40), fill=(10, 10, 10))
    return image


def income_certificate() -> Image.Image:
    """An A4 page at 300 DPI (2480×3508 px): an income certificate with amounts."""
    image = Image.new("RGB", (2480, 3508), "white")
    canvas = ImageDraw.Draw(image)
    canvas.text((960, 250), "收入证明", font=_font(80), fill="black")
    body = [
        f"兹证明 张伟 同志（身份证号码：{ID_NUMBER}）",
        "自 2018 年 6 月起在我单位工作，现任 高级工程师 职务。",
        "该同志近一年税前月收入为人民币 18,500.00 元，",
        "年收入合计人民币 222,000.00 元（大写：贰拾贰万贰仟元整）。",
        "",
        "特此证明。本证明仅用于办理贷款，不作其他用途。",
        "",
        "单位名称：北京星河科技有限公司",
        "统一社会信用代码：91110105MA01ABCD2X",
        "单位地址：北京市朝阳区建国路 88 号 SOHO 现代城 A 座 1201",
        "联系人：李娜    联系电话：010-65881234",
        "",
        "开具日期：2024 年 5 月 20 日",
    ]
    top = 500
    for line in body:
        canvas.text((200, top), line, font=_font(46), fill="black")
        top += 110
    canvas.ellipse((1500, 2000, 1950, 2450), outline=(200, 30, 30), width=10)  # seal
    canvas.text((1590, 2190), "北京星河科技", font=_font(44), fill=(200, 30, 30))
    return image
