#include "app/api_tokens.hpp"

#include <algorithm>

#include "app/crypto.hpp"
#include "storage/org_store.hpp"

namespace passerelle::app {

namespace at = storage::api_tokens;
namespace tk = core::api_tokens;
using core::Error;
using core::Result;
using core::Status;

namespace {

constexpr std::int64_t kTouchEvery = 60;  // seconds between two writes of a token's last use

}  // namespace

Status ApiTokenService::authorise(storage::Connection& c, const core::Actor& actor, std::int64_t org_id,
                                  core::OrgKind* kind) {
    auto org = storage::orgs::find_org(c, org_id);
    if (!org) return org.error();
    if (!org.value()) return Error::NotFound("Organisation introuvable.");
    const auto k = core::parse_org_kind(org.value()->kind);
    if (kind && k) *kind = *k;
    switch (core::decide(actor, core::Action::kManageMembers, {org_id, k})) {
        case core::Decision::kAllow:
            return {};
        case core::Decision::kLoginRequired:
            return Error::Unauthenticated("Connectez-vous pour gérer les jetons d'API.");
        case core::Decision::kForbidden:
            break;
    }
    return Error::Forbidden("Seuls les administrateurs de l'organisation gèrent ses jetons d'API.");
}

Result<std::vector<at::TokenRecord>> ApiTokenService::list(const core::Actor& actor, std::int64_t org_id) {
    return storage::fetch<std::vector<at::TokenRecord>>(
        db_, [&](storage::Connection& c) -> Result<std::vector<at::TokenRecord>> {
            if (auto st = authorise(c, actor, org_id); !st) return st.error();
            return at::of_org(c, org_id);
        });
}

Result<CreatedToken> ApiTokenService::create(const core::Actor& actor, std::int64_t org_id, const std::string& name,
                                             const std::vector<std::string>& scope_codes) {
    auto valid = tk::validate_new_token(name, scope_codes);
    CreatedToken out;
    Status st = db_.transaction([&](storage::Connection& c) -> Status {
        core::OrgKind kind = core::OrgKind::kCompany;
        if (auto a = authorise(c, actor, org_id, &kind); !a) return a;
        // A token acts in its creator's name: only an administrator who is a member creates one (a platform
        // administrator may list and revoke them).
        const core::Membership* m = actor.membership(org_id);
        if (!m || m->role != core::MemberRole::kAdmin)
            return Error::Forbidden("Seuls les administrateurs membres de l'organisation créent ses jetons d'API.");
        if (!valid) return valid.error();
        Error err = Error::Invalid("Le jeton n'a pas été créé : corrigez les champs signalés.");
        const auto grantable =
            tk::grantable_scopes(kind == core::OrgKind::kBuyer, actor.has_role(core::PlatformRole::kOrganiser));
        for (auto s : valid->scopes)
            if (!tk::has_scope(grantable, s))
                err.fields["scopes"] =
                    s == tk::Scope::kPublishNotices
                        ? "Seule une organisation acheteuse publie des avis de marché."
                        : "Seules les personnes organisatrices d'événements peuvent donner ce droit.";
        if (!err.fields.empty()) return err;
        out.secret = std::string(tk::kPrefix) + random_token(32);
        out.record.org_id = org_id;
        out.record.name = valid->name;
        out.record.scopes = tk::join_scopes(valid->scopes);
        out.record.prefix = out.secret.substr(0, tk::kPrefix.size() + 6);
        out.record.created_by = *actor.user_id;
        out.record.created_at = clock_.now();
        auto id = at::insert(c, out.record, sha256_hex(out.secret));
        if (!id) return id.error();
        out.record.id = id.value();
        return {};
    });
    if (!st) return st.error();
    return out;
}

Status ApiTokenService::revoke(const core::Actor& actor, std::int64_t org_id, std::int64_t token_id) {
    return db_.transaction([&](storage::Connection& c) -> Status {
        if (auto a = authorise(c, actor, org_id); !a) return a;
        auto done = at::revoke(c, org_id, token_id, *actor.user_id, clock_.now());
        if (!done) return done.error();
        if (!done.value()) return Error::NotFound("Ce jeton n'existe pas ou est déjà révoqué.");
        return {};
    });
}

Result<TokenIdentity> ApiTokenService::authenticate(const std::string& secret, const std::string& address) {
    TokenIdentity id;
    const std::int64_t now = clock_.now();
    Status st = db_.with_connection([&](storage::Connection& c) -> Status {
        auto t = at::by_hash(c, sha256_hex(secret));
        if (!t) return t.error();
        if (!t.value() || t.value()->revoked_at) return Error::Unauthenticated("Jeton d'API inconnu ou révoqué.");
        id.token = *t.value();
        id.scopes = tk::split_scopes(id.token.scopes);
        auto user = storage::accounts::find_user(c, id.token.created_by);
        if (!user) return user.error();
        if (!user.value()) return Error::Unauthenticated("Jeton d'API inconnu ou révoqué.");
        id.creator = *user.value();
        auto ms = storage::orgs::memberships_of_user(c, id.token.created_by);
        if (!ms) return ms.error();
        core::Actor& a = id.actor;
        a.user_id = id.token.created_by;
        a.email_verified = user.value()->email_verified_at.has_value();
        for (const auto& m : ms.value())
            if (m.org_id == id.token.org_id && m.status == "active" && m.role == "admin")
                a.memberships.push_back({m.org_id, core::parse_org_kind(m.org_kind).value_or(core::OrgKind::kCompany),
                                         core::MemberRole::kAdmin, m.vetted});
        if (a.memberships.empty())
            return Error::Unauthenticated(
                "La personne qui a créé ce jeton n'administre plus l'organisation : le jeton ne vaut plus.");
        const auto& roles = user.value()->roles;
        if (tk::has_scope(id.scopes, tk::Scope::kManageEvents) &&
            std::find(roles.begin(), roles.end(), core::platform_role_code(core::PlatformRole::kOrganiser)) !=
                roles.end())
            a.roles.push_back(core::PlatformRole::kOrganiser);
        if (!id.token.last_used_at || now - *id.token.last_used_at >= kTouchEvery) {
            if (auto s = at::touch(c, id.token.id, now, address); !s) return s;
            id.token.last_used_at = now;
            id.token.last_used_address = address;
        }
        return {};
    });
    if (!st) return st.error();
    return id;
}

}  // namespace passerelle::app
