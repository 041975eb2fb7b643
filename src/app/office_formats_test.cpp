#include "app/office_formats.hpp"

#include <gtest/gtest.h>
#include <libical/ical.h>

#include "core/french.hpp"

namespace passerelle::app {
namespace {

TEST(OfficeFormats, CalendarReadsBackWithParisTimes) {
    const auto start = core::from_utc(2027, 7, 1, 7, 0);  // 9:00 in Paris (summer)
    auto text = icalendar("Agenda",
                          {{"m-1@passerelle", start, start + 1200, "Rendez-vous : Ville, table 2", "Lille",
                            "Sujet ; avec, ponctuation", "https://x.test/e/1"}},
                          start);
    EXPECT_NE(text.find("DTSTART;TZID=Europe/Paris:20270701T090000"), std::string::npos) << text;
    icalcomponent* cal = icalparser_parse_string(text.c_str());
    ASSERT_NE(cal, nullptr);
    icalcomponent* ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
    ASSERT_NE(ev, nullptr);
    EXPECT_STREQ(icalcomponent_get_description(ev), "Sujet ; avec, ponctuation");
    const auto dtstart = icalcomponent_get_dtstart(ev);
    EXPECT_EQ(icaltime_as_timet_with_zone(dtstart, dtstart.zone), start);
    // Winter: UTC+1.
    const auto winter = core::from_utc(2027, 2, 4, 9, 0);
    EXPECT_NE(icalendar("A", {{"x", winter, winter + 60, "R", "", "", ""}}, winter).find("20270204T100000"),
              std::string::npos);
    icalcomponent_free(cal);
}

TEST(OfficeFormats, SpreadsheetIsAZipWithTheSheet) {
    auto x = xlsx_table("Inscrits", {"Nom", "Nombre", "SIRET"}, {{"Zoé", "12", "05000000000017"}});
    ASSERT_TRUE(x.ok());
    EXPECT_EQ(x->substr(0, 2), "PK");
    EXPECT_NE(x->find("xl/worksheets/sheet1.xml"), std::string::npos);
}

TEST(OfficeFormats, QrCodeAsSvg) {
    auto svg = qr_svg("https://passerelle.test/mon-espace/evenements/1/emargement?code=ABCD2345");
    ASSERT_TRUE(svg.ok());
    EXPECT_EQ(svg->rfind("<svg", 0), 0u);
    EXPECT_NE(svg->find("h1v1h-1z"), std::string::npos);
    EXPECT_FALSE(qr_svg(std::string(8000, 'x')).ok());  // beyond a QR code's capacity
    auto png = qr_png("ABCD2345", 4);
    ASSERT_TRUE(png.ok());
    EXPECT_EQ(png->substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
    EXPECT_NE(png->find("IHDR"), std::string::npos);
    EXPECT_NE(png->find("IEND"), std::string::npos);
}

}  // namespace
}  // namespace passerelle::app
