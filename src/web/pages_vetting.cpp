// Vetting of buyer organisations and what the platform withdrew (administrators; access declared on the routes): the
// queue of buyers declared by people, with what the platform knows of their SIRET; suspension of an organisation; the
// review of what suspensions withdrew from public view.
#include "core/french.hpp"
#include "core/siret.hpp"
#include "storage/withdrawal_store.hpp"
#include "web/helpers.hpp"
#include "web/site.hpp"

namespace passerelle::web {

using http::Response;
using nlohmann::json;

namespace {

constexpr const char* kVettingPage = "/admin/acheteurs";

std::string withdrawal_reason_label(const std::string& code) {
    if (code == storage::withdrawals::kOrganisationSuspended) return "Organisation suspendue";
    if (code == storage::withdrawals::kAccountSuspended) return "Compte de l'auteur suspendu";
    return code;
}

std::string email_domain(const std::string& email) {
    auto at = email.rfind('@');
    return at == std::string::npos ? "" : email.substr(at + 1);
}

// The refusal form of one organisation of the queue (one per card: its ids are its own).
std::string refusal_form_id(std::int64_t org_id) { return "vetting-" + std::to_string(org_id); }

}  // namespace

Response Site::admin_vetting(Ctx& ctx) {
    auto queue = s_.orgs.vetting_queue(ctx.actor);
    if (!queue) return fail(ctx, queue.error());
    json pending = json::array();
    for (const auto& v : queue.value()) {
        const std::string siren = v.org.siret.substr(0, 9);
        const bool public_range = !siren.empty() && (siren[0] == '1' || siren[0] == '2');
        json facts = json::array();
        facts.push_back(
            {{"ok", public_range},
             {"text", public_range ? "SIREN " + siren + " : dans la plage des personnes morales de droit public"
                                   : "SIREN " + siren + " : hors de la plage du secteur public (1 ou 2)"}});
        if (v.contracts_same_siret > 0 || v.contracts_same_siren > 0)
            facts.push_back({{"ok", true},
                             {"text", std::to_string(v.contracts_same_siren) +
                                          " marché(s) attribué(s) publié(s) en données essentielles (DECP) par ce "
                                          "SIREN, dont " +
                                          std::to_string(v.contracts_same_siret) + " par ce SIRET"}});
        else
            facts.push_back(
                {{"ok", false}, {"text", "Aucun marché publié en données essentielles (DECP) par ce SIREN"}});
        if (v.open_data_profile)
            facts.push_back({{"ok", true},
                             {"text", "Un profil issu des données publiques existe pour ce SIREN"},
                             {"profile_url", "/mon-espace/organisations/" + std::to_string(*v.open_data_profile)}});
        const std::string domain = email_domain(v.requester_email);
        pending.push_back({{"id", v.org.id},
                           {"name", v.org.name},
                           {"siret", v.org.siret},
                           {"url", "/acheteurs/" + v.org.siret},
                           {"requester", v.requester_name},
                           {"email", v.requester_email},
                           {"domain", domain},
                           {"at", core::format_datetime_fr(v.org.created_at)},
                           {"facts", facts},
                           {"action", std::string(kVettingPage) + "/" + std::to_string(v.org.id)},
                           {"refusal", form_view(ctx, refusal_form_id(v.org.id))}});
    }
    auto withdrawn = s_.orgs.withdrawn(ctx.actor);
    if (!withdrawn) return fail(ctx, withdrawn.error());
    json items = json::array();
    for (const auto& w : withdrawn.value())
        items.push_back(
            {{"kind", w.kind == "notice" ? "Consultation" : "Projet d'achat"},
             {"title", w.title},
             {"url", (w.kind == "notice" ? "/consultations/" : "/feuilles-de-route/") + std::to_string(w.id)},
             {"org", w.org_name},
             {"reason", withdrawal_reason_label(w.reason)},
             {"at", core::format_datetime_fr(w.withdrawn_at)},
             {"action", "/admin/retraits/" + w.kind + "/" + std::to_string(w.id) + "/retablir"}});
    return page(
        ctx, "admin_vetting",
        {{"title", "Organisations acheteuses à vérifier"},
         {"breadcrumb", json::array({{{"label", "Accueil"}, {"url", "/"}},
                                     {{"label", "Administration"}, {"url", "/admin/utilisateurs"}},
                                     {{"label", "Acheteurs à vérifier"}, {"url", kVettingPage}, {"current", true}}})},
         {"pending", pending},
         {"no_pending", pending.empty()},
         {"withdrawn", items},
         {"no_withdrawn", items.empty()}});
}

Response Site::admin_vetting_decide(Ctx& ctx) {
    auto id = parse_id(ctx.req.path_param("id"));
    const std::string action = ctx.req.path_param("action");
    if (!id || (action != "verifier" && action != "refuser")) return error_page(ctx, 404, "Action inconnue.");
    auto org = s_.orgs.get(*id);
    if (!org) return fail(ctx, org.error());
    const std::string note = ctx.req.form_value("note");
    if (auto st = s_.orgs.decide_vetting(ctx.actor, *id, action == "verifier", note); !st) {
        if (action == "refuser" && st.error().code == core::ErrorCode::kInvalidInput) {
            const std::string form_id = refusal_form_id(*id);
            return refuse_form(ctx, std::string(kVettingPage) + "#" + form_id, form_id, st.error(), {"note"});
        }
        return flash_or_fail(ctx, st.error(), kVettingPage, "");
    }
    audit(ctx, action == "verifier" ? "buyer_verified" : "buyer_refused", "organisation " + std::to_string(*id),
          org->name + (note.empty() ? "" : " : " + note));
    return redirect_flash(
        ctx, kVettingPage,
        action == "verifier"
            ? "« " + org->name + " » est vérifiée : ses agents peuvent publier ; ils sont prévenus par e-mail."
            : "La demande pour « " + org->name + " » est refusée ; le demandeur est prévenu par e-mail.");
}

Response Site::admin_org_suspend(Ctx& ctx) {
    auto id = parse_id(ctx.req.path_param("id"));
    const std::string action = ctx.req.path_param("action");
    if (!id || (action != "suspendre" && action != "reactiver")) return error_page(ctx, 404, "Action inconnue.");
    auto org = s_.orgs.get(*id);
    if (!org) return fail(ctx, org.error());
    const bool suspend = action == "suspendre";
    const std::string back =
        return_path(ctx.req.form_value("retour"), {"/admin/", "/mon-espace/organisations/"}, kVettingPage);
    auto n = s_.orgs.set_suspended(ctx.actor, *id, suspend);
    if (!n) return flash_or_fail(ctx, n.error(), back, "");
    audit(ctx, suspend ? "organisation_suspended" : "organisation_reinstated", "organisation " + std::to_string(*id),
          org->name + " : " + std::to_string(n.value()) + " publication(s)");
    const std::string count = n.value() == 0   ? "aucune publication"
                              : n.value() == 1 ? "une publication"
                                               : std::to_string(n.value()) + " publications";
    return redirect_flash(
        ctx, back,
        suspend ? "« " + org->name + " » est suspendue : " + count +
                      " retirée(s) de la vue du public, à examiner sur la page des acheteurs à vérifier ; "
                      "ses membres sont prévenus par e-mail."
                : "La suspension de « " + org->name + " » est levée : " + count +
                      " de nouveau publique(s) ; ses membres sont prévenus par e-mail.");
}

Response Site::admin_withdrawal_reinstate(Ctx& ctx) {
    auto id = parse_id(ctx.req.path_param("id"));
    const std::string kind = ctx.req.path_param("kind");
    if (!id || (kind != "notice" && kind != "roadmap")) return error_page(ctx, 404, "Ce contenu n'existe pas.");
    auto done = s_.orgs.reinstate(ctx.actor, kind, *id);
    if (!done) return fail(ctx, done.error());
    if (!done.value()) return redirect_flash(ctx, kVettingPage, "Ce contenu n'était pas retiré.", "warning");
    audit(ctx, "withdrawal_reinstated", kind + " " + std::to_string(*id), "");
    return redirect_flash(ctx, kVettingPage, "Le contenu est rétabli : il est de nouveau public.");
}

}  // namespace passerelle::web
