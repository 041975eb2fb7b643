#include "core/oidc.hpp"

#include <algorithm>

#include "core/fold.hpp"
#include "core/validation.hpp"

namespace passerelle::core::oidc {

Status check_id_token(const IdTokenClaims& c, const std::string& issuer, const std::string& client_id,
                      const std::string& nonce, std::int64_t now, std::int64_t leeway) {
    if (c.iss != issuer) return Error::Unauthenticated("émetteur (iss) inattendu : « " + c.iss.substr(0, 200) + " »");
    if (c.sub.empty()) return Error::Unauthenticated("identifiant de la personne (sub) absent");
    if (std::find(c.aud.begin(), c.aud.end(), client_id) == c.aud.end())
        return Error::Unauthenticated("jeton destiné à un autre service (aud)");
    if (c.aud.size() > 1 && c.azp != client_id)
        return Error::Unauthenticated("jeton destiné à plusieurs services sans nous désigner (azp)");
    if (!c.exp) return Error::Unauthenticated("date d'expiration (exp) absente");
    if (*c.exp + leeway < now) return Error::Unauthenticated("jeton expiré");
    if (!c.iat) return Error::Unauthenticated("date d'émission (iat) absente");
    if (*c.iat - leeway > now) return Error::Unauthenticated("jeton émis dans le futur (horloges désaccordées ?)");
    if (nonce.empty() || c.nonce != nonce)
        return Error::Unauthenticated("nonce absent ou différent : réponse rejouée ?");
    return {};
}

std::string display_name(const AgentClaims& c) {
    std::string name = trim(trim(c.given_name) + " " + trim(c.usual_name));
    return name.empty() ? c.email : name;
}

bool is_elected(const AgentClaims& c) {
    for (const auto& r : c.roles) {
        std::string f = fold(r);
        if (f == "elu" || f == "elue" || f == "elected" || f == "elu(e)") return true;
    }
    return false;
}

std::string refusal_reason(Refusal r) {
    switch (r) {
        case Refusal::kNone:
            return "";
        case Refusal::kNoEmail:
            return "Votre fournisseur d'identité n'a pas transmis d'adresse e-mail.";
        case Refusal::kNoSiret:
            return "Votre fournisseur d'identité n'a pas transmis de SIRET : votre compte n'est rattaché à aucune "
                   "organisation publique.";
        case Refusal::kInvalidSiret:
            return "Le SIRET transmis par votre fournisseur d'identité n'est pas valide.";
        case Refusal::kNotABuyer:
            return "Ce SIRET est celui d'une entreprise sur Passerelle : l'identité des agents publics est réservée "
                   "aux acheteurs.";
        case Refusal::kUnknownOrganisation:
            return "Votre organisation n'est pas encore sur Passerelle. Un administrateur a été prévenu et va la "
                   "créer.";
        case Refusal::kEmailTaken:
            return "Un compte Passerelle utilise déjà cette adresse e-mail, avec un mot de passe.";
        case Refusal::kSuspended:
            return "Ce compte est suspendu.";
    }
    return "";
}

std::string refusal_advice(Refusal r) {
    switch (r) {
        case Refusal::kNone:
            return "";
        case Refusal::kNoEmail:
        case Refusal::kNoSiret:
        case Refusal::kInvalidSiret:
            return "Vérifiez votre organisation auprès de votre fournisseur d'identité, ou créez un compte Passerelle "
                   "avec votre adresse e-mail et un mot de passe.";
        case Refusal::kNotABuyer:
            return "Connectez-vous avec votre compte Passerelle (adresse e-mail et mot de passe).";
        case Refusal::kUnknownOrganisation:
            return "Vous recevrez un e-mail dès qu'elle sera créée : reconnectez-vous alors avec le même bouton.";
        case Refusal::kEmailTaken:
            return "Connectez-vous avec ce compte (adresse e-mail et mot de passe) ; les comptes des agents publics "
                   "sont reconnus par leur identité, pas par leur adresse.";
        case Refusal::kSuspended:
            return "Écrivez à l'équipe de Passerelle pour en connaître la raison.";
    }
    return "";
}

}  // namespace passerelle::core::oidc
