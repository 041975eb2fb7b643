#include "app/audit.hpp"

#include <spdlog/spdlog.h>

#include "app/csv.hpp"
#include "core/french.hpp"

namespace passerelle::app {

const std::vector<std::pair<std::string, std::string>>& audit_actions() {
    static const std::vector<std::pair<std::string, std::string>> v = {
        {"login", "Connexion"},
        {"login_failed", "Connexion refusée"},
        {"login_password", "Mot de passe accepté, code demandé"},
        {"password_changed", "Mot de passe changé"},
        {"identity_confirmed", "Identité confirmée (action sensible)"},
        {"second_factor_enabled", "Double authentification activée"},
        {"second_factor_disabled", "Double authentification désactivée"},
        {"second_factor_reset", "Double authentification réinitialisée par l'équipe"},
        {"recovery_codes_renewed", "Codes de secours renouvelés"},
        {"session_closed", "Session fermée"},
        {"sessions_closed", "Autres sessions fermées"},
        {"roles_changed", "Rôles de plateforme modifiés"},
        {"notice_published", "Consultation publiée"},
        {"notice_amended", "Consultation rectifiée"},
        {"notice_status", "Consultation close, attribuée ou infructueuse"},
        {"notice_awarded", "Attribution enregistrée"},
        {"roadmap_published", "Projet d'achat publié ou modifié"},
        {"claim_decided", "Revendication de profil décidée"},
        {"moderation", "Décision de modération"},
        {"clause_changed", "Clause sociale ajoutée, modifiée ou retirée"},
        {"declaration_reviewed", "Déclaration d'heures acceptée ou renvoyée"},
        {"api_token_created", "Jeton d'API créé"},
        {"api_token_revoked", "Jeton d'API révoqué"},
        {"agent_org_decided", "Organisation d'agent créée ou refusée"},
        {"withdrawal_reinstated", "Publication rétablie après retrait"},
    };
    return v;
}

void AuditService::record(std::optional<std::int64_t> user_id, const std::string& email, const std::string& action,
                          const std::string& target, const std::string& detail, const std::string& address) {
    storage::audit::Entry e{0, clock_.now(), user_id, email, action, target, detail, address};
    if (auto st = db_.with_connection([&](storage::Connection& c) { return storage::audit::append(c, e); }); !st)
        spdlog::error("audit log: {} ({} {} {})", st.error().message, action, target, email);
}

core::Result<AuditService::Page> AuditService::list(const core::Actor& actor, const storage::audit::Filter& f,
                                                    const core::Page& page) {
    if (auto d = core::decide(actor, core::Action::kAdminister); d != core::Decision::kAllow)
        return d == core::Decision::kLoginRequired
                   ? core::Error::Unauthenticated("Connectez-vous.")
                   : core::Error::Forbidden("Le journal d'audit est réservé aux administrateurs.");
    return storage::fetch_page<storage::audit::Entry>(
        db_, [&](storage::Connection& c) { return storage::audit::list(c, f, page.per_page, page.offset()); },
        [&](storage::Connection& c) { return storage::audit::count(c, f); });
}

core::Result<std::string> AuditService::csv(const core::Actor& actor, const storage::audit::Filter& f) {
    auto all = list(actor, f, core::Page{1, 100000});
    if (!all) return all.error();
    std::string out = std::string(kCsvBom) + "date,utilisateur,action,objet,détail,adresse\r\n";
    for (const auto& e : all->items) {
        std::string label = e.action;
        for (const auto& [code, l] : audit_actions())
            if (code == e.action) label = l;
        out += csv_field(core::format_datetime_fr(e.at)) + "," + csv_field(e.user_email) + "," + csv_field(label) +
               "," + csv_field(e.target) + "," + csv_field(e.detail) + "," + csv_field(e.address) + "\r\n";
    }
    return out;
}

}  // namespace passerelle::app
