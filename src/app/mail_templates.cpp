#include "app/mail_templates.hpp"

#include "core/french.hpp"

namespace passerelle::app {

namespace {
const char* kSignature = "\n\n-- \nPasserelle, la plateforme qui rapproche acheteurs publics et entreprises.\n";
}

MailMessage verification_mail(const std::string& base_url, const std::string& token) {
    return {"Confirmez votre adresse e-mail sur Passerelle",
            "Bonjour,\n\nPour confirmer votre adresse e-mail et activer votre compte Passerelle, ouvrez ce lien "
            "(valable 48 heures) :\n\n" +
                base_url + "/verifier-email?jeton=" + token +
                "\n\nSi vous n'avez pas créé de compte, ignorez ce message." + kSignature};
}

MailMessage reset_mail(const std::string& base_url, const std::string& token) {
    return {"Réinitialisation de votre mot de passe Passerelle",
            "Bonjour,\n\nVous avez demandé à changer votre mot de passe. Ouvrez ce lien (valable 1 heure) pour en "
            "choisir un nouveau :\n\n" +
                base_url + "/reinitialiser-mot-de-passe?jeton=" + token +
                "\n\nSi vous n'êtes pas à l'origine de cette demande, ignorez ce message : votre mot de passe reste "
                "inchangé." +
                kSignature};
}

MailMessage invitation_mail(const std::string& base_url, const std::string& token, const std::string& org_name,
                            const std::string& inviter) {
    return {"Invitation à rejoindre " + org_name + " sur Passerelle",
            "Bonjour,\n\n" + inviter + " vous invite à rejoindre l'organisation « " + org_name +
                " » sur Passerelle.\n\nPour accepter (lien valable 7 jours), connectez-vous ou créez un compte avec "
                "cette adresse, puis ouvrez :\n\n" +
                base_url + "/invitations/accepter?jeton=" + token + kSignature};
}

MailMessage membership_request_mail(const std::string& base_url, const std::string& org_name,
                                    const std::string& requester, long long org_id) {
    return {"Demande pour rejoindre " + org_name,
            "Bonjour,\n\n" + requester + " demande à rejoindre l'organisation « " + org_name +
                " » sur Passerelle.\n\nAcceptez ou refusez la demande ici :\n\n" + base_url +
                "/mon-espace/organisations/" + std::to_string(org_id) + kSignature};
}

MailMessage membership_decision_mail(const std::string& base_url, const std::string& org_name, bool accepted) {
    return {accepted ? "Vous avez rejoint " + org_name : "Votre demande pour rejoindre " + org_name,
            accepted ? "Bonjour,\n\nVotre demande a été acceptée : vous êtes membre de « " + org_name +
                           " » sur Passerelle.\n\n" + base_url + "/mon-espace" + kSignature
                     : "Bonjour,\n\nVotre demande pour rejoindre « " + org_name +
                           " » n'a pas été acceptée par ses administrateurs." + kSignature};
}

MailMessage new_browser_mail(const std::string& base_url, const std::string& address, std::int64_t at) {
    return {"Connexion à votre compte depuis un nouveau navigateur",
            "Bonjour,\n\nQuelqu'un vient de se connecter à votre compte Passerelle depuis un navigateur qui n'y "
            "était jamais connecté (le " +
                core::format_datetime_fr(at) + ", adresse " + address +
                ").\n\nSi c'est vous, il n'y a rien à faire. Sinon, changez tout de suite votre mot de passe :\n\n" +
                base_url + "/mot-de-passe-oublie" + kSignature};
}

MailMessage password_changed_mail(const std::string& base_url, std::int64_t at) {
    return {"Votre mot de passe a été changé",
            "Bonjour,\n\nLe mot de passe de votre compte Passerelle a été changé le " + core::format_datetime_fr(at) +
                ". Les autres sessions ouvertes ont été fermées.\n\nSi ce n'est pas vous, demandez tout de suite un "
                "nouveau mot de passe :\n\n" +
                base_url + "/mot-de-passe-oublie" + kSignature};
}

MailMessage second_factor_mail(const std::string& base_url, bool enabled, bool by_administrator, std::int64_t at) {
    const std::string when = core::format_datetime_fr(at);
    if (enabled)
        return {"La double authentification est activée sur votre compte",
                "Bonjour,\n\nLa double authentification a été activée sur votre compte Passerelle le " + when +
                    ". Chaque connexion demandera désormais, après le mot de passe, un code de votre application "
                    "d'authentification.\n\nSi ce n'est pas vous, demandez tout de suite un nouveau mot de passe "
                    "et écrivez à l'équipe de Passerelle :\n\n" +
                    base_url + "/mot-de-passe-oublie" + kSignature};
    if (by_administrator)
        return {
            "La double authentification de votre compte a été réinitialisée",
            "Bonjour,\n\nÀ votre demande, l'équipe de Passerelle a réinitialisé la double authentification de votre "
            "compte le " +
                when +
                ". Votre application d'authentification et vos codes de secours ne servent plus pour Passerelle : "
                "supprimez-en l'ancienne entrée.\n\nSi votre rôle sur la plateforme l'exige, votre prochaine "
                "connexion vous demandera de la réactiver avec une nouvelle clé ; sinon vous pouvez la réactiver "
                "quand vous voulez depuis votre espace :\n\n" +
                base_url +
                "/mon-espace/double-authentification\n\nSi vous n'avez rien demandé, changez tout de suite votre "
                "mot de passe et écrivez à l'équipe :\n\n" +
                base_url + "/mot-de-passe-oublie" + kSignature};
    return {"La double authentification est désactivée sur votre compte",
            "Bonjour,\n\nLa double authentification de votre compte Passerelle a été désactivée le " + when +
                ". Votre mot de passe suffit de nouveau pour vous connecter ; vous pouvez la réactiver depuis votre "
                "espace :\n\n" +
                base_url +
                "/mon-espace/double-authentification\n\nSi ce n'est pas vous, demandez tout de suite un "
                "nouveau mot de passe :\n\n" +
                base_url + "/mot-de-passe-oublie" + kSignature};
}

MailMessage recovery_codes_mail(const std::string& base_url, std::int64_t at) {
    return {"Nouveaux codes de secours pour votre compte",
            "Bonjour,\n\nDe nouveaux codes de secours ont été créés pour votre compte Passerelle le " +
                core::format_datetime_fr(at) +
                " ; les précédents ne fonctionnent plus.\n\nSi ce n'est pas vous, demandez tout de suite un nouveau "
                "mot de passe :\n\n" +
                base_url + "/mot-de-passe-oublie" + kSignature};
}

MailMessage recovery_code_used_mail(const std::string& base_url, const std::string& address, std::int64_t left,
                                    std::int64_t at) {
    return {"Un code de secours a servi à vous connecter",
            "Bonjour,\n\nUn code de secours a servi à vous connecter à Passerelle le " + core::format_datetime_fr(at) +
                " (adresse " + address + "). Il vous en reste " + std::to_string(left) +
                (left == 0 ? " : créez-en de nouveaux" : " ; vous pouvez en créer de nouveaux") +
                " depuis votre espace :\n\n" + base_url +
                "/mon-espace/double-authentification\n\nSi ce n'est pas vous, demandez tout de suite un nouveau mot "
                "de passe :\n\n" +
                base_url + "/mot-de-passe-oublie" + kSignature};
}

MailMessage suspension_mail(const std::string& base_url, const std::string& org_name, std::int64_t org_id,
                            bool suspended) {
    const std::string link = base_url + "/mon-espace/organisations/" + std::to_string(org_id);
    if (suspended)
        return {"« " + org_name + " » est suspendue sur Passerelle",
                "Bonjour,\n\nL'équipe de Passerelle a suspendu l'organisation « " + org_name +
                    " » : ses publications ne sont plus visibles du public pendant son examen. Pour en connaître la "
                    "raison ou la contester, répondez à l'équipe de la plateforme.\n\n" +
                    link + kSignature};
    return {"La suspension de « " + org_name + " » est levée",
            "Bonjour,\n\nL'équipe de Passerelle a levé la suspension de « " + org_name +
                " » : ses publications sont de nouveau visibles.\n\n" + link + kSignature};
}

MailMessage vetting_decision_mail(const std::string& base_url, const std::string& org_name, std::int64_t org_id,
                                  bool approved, const std::string& note) {
    const std::string link = base_url + "/mon-espace/organisations/" + std::to_string(org_id);
    if (approved)
        return {"Votre organisation « " + org_name + " » est vérifiée",
                "Bonjour,\n\nL'équipe de Passerelle a vérifié « " + org_name +
                    " » : vous pouvez désormais publier vos feuilles de route et vos consultations, et consulter "
                    "les entreprises intéressées.\n\n" +
                    link + kSignature};
    return {"Votre demande pour « " + org_name + " » n'a pas été acceptée",
            "Bonjour,\n\nL'équipe de Passerelle n'a pas pu vérifier que vous agissez pour « " + org_name + " »." +
                (note.empty() ? "" : "\n\nMotif : " + note) +
                "\n\nSi vous êtes agent public, connectez-vous avec ProConnect : votre administration sera reconnue "
                "par son SIRET.\n\n" +
                link + kSignature};
}

}  // namespace passerelle::app
