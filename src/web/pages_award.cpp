// Awarding a notice on the platform (/mon-espace/consultations/{id}/attribution): each lot's winner and
// amount, or the lot unsuccessful; the awarded lots become awarded contracts.
#include "core/french.hpp"
#include "core/notice.hpp"
#include "http/message.hpp"
#include "web/helpers.hpp"
#include "web/site.hpp"

namespace passerelle::web {

using http::Response;
using nlohmann::json;

namespace {

json award_view(const storage::notices::NoticeRecord& n, const std::vector<core::LotAwardInput>& in,
                const std::string& notified_on, const core::FieldErrors& errors) {
    json lots = json::array();
    for (const auto& l : n.lots) {
        core::LotAwardInput v;
        for (const auto& x : in)
            if (x.lot_number == l.number) v = x;
        const std::string p = "lot_" + std::to_string(l.number) + "_";
        auto err = [&](const std::string& f) -> json {
            auto it = errors.find(p + f);
            return it == errors.end() ? json(nullptr) : json(it->second);
        };
        lots.push_back({{"n", std::to_string(l.number)},
                        {"lot_title", n.lots.size() > 1 ? l.title : ""},
                        {"siret", v.winner_siret},
                        {"name", v.winner_name},
                        {"amount", v.amount},
                        {"unsuccessful", v.unsuccessful},
                        {"siret_error", err("siret")},
                        {"name_error", err("name")},
                        {"amount_error", err("amount")}});
    }
    const std::string url = "/mon-espace/consultations/" + std::to_string(n.id) + "/attribution";
    return {{"title", "Attribuer la consultation"},
            {"breadcrumb", crumbs({{"Mon espace", "/mon-espace"},
                                   {"Consultations", "/mon-espace/consultations"},
                                   {n.title, "/consultations/" + std::to_string(n.id)},
                                   {"Attribution", ""}})},
            {"notice_title", n.title},
            {"buyer", n.org_name},
            {"action", url},
            {"back", "/consultations/" + std::to_string(n.id)},
            {"notified_on", notified_on},
            {"lots", lots}};
}

}  // namespace

Response Site::notice_award_form(Ctx& ctx) {
    auto id = parse_id(ctx.req.path_param("id"));
    if (!id) return error_page(ctx, 404, "Cette consultation n'existe pas.");
    auto n = s_.notices.get(ctx.actor, *id);
    if (!n) return fail(ctx, n.error());
    if (!s_.notices.can_edit(ctx.actor, n.value()))
        return error_page(ctx, 403, "Seuls les agents de l'acheteur peuvent attribuer cette consultation.");
    return page(ctx, "notice_award", award_view(n.value(), {}, core::format_iso_day_paris(s_.clock.now()), {}));
}

Response Site::notice_award(Ctx& ctx) {
    auto id = parse_id(ctx.req.path_param("id"));
    if (!id) return error_page(ctx, 404, "Cette consultation n'existe pas.");
    auto n = s_.notices.get(ctx.actor, *id);
    if (!n) return fail(ctx, n.error());
    std::vector<core::LotAwardInput> lots;
    for (const auto& l : n->lots) {
        const std::string p = "lot_" + std::to_string(l.number) + "_";
        lots.push_back({l.number, ctx.req.form_value(p + "siret"), ctx.req.form_value(p + "name"),
                        ctx.req.form_value(p + "amount"), ctx.req.form_value(p + "unsuccessful") == "1"});
    }
    const std::string notified_on = ctx.req.form_value("notified_on");
    auto st = s_.notices.award(ctx.actor, *id, lots, notified_on);
    if (!st) {
        if (st.error().code == core::ErrorCode::kConflict)
            return redirect_flash(ctx, "/consultations/" + std::to_string(*id), st.error().message, "warning");
        return form_error(ctx, "notice_award", award_view(n.value(), lots, notified_on, st.error().fields), st.error());
    }
    audit(ctx, "notice_awarded", "consultation " + std::to_string(*id), "");
    return redirect_flash(ctx, "/consultations/" + std::to_string(*id),
                          "L'attribution est publiée ; les entreprises qui suivent la consultation sont prévenues.");
}

}  // namespace passerelle::web
