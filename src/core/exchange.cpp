#include "core/exchange.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "core/cpv.hpp"
#include "core/sourcing.hpp"
#include "core/validation.hpp"

namespace passerelle::core {

const std::vector<CodeLabel>& offer_kinds() {
    static const std::vector<CodeLabel> v = {
        {"seek_cocontractor", "Cherche un co-traitant (groupement)"},
        {"seek_lead", "Cherche un mandataire pour un groupement"},
        {"seek_subcontractor", "Cherche un sous-traitant"},
        {"offer_cocontractor", "Se propose comme co-traitant"},
        {"offer_subcontractor", "Se propose comme sous-traitant"},
    };
    return v;
}

const std::vector<CodeLabel>& offer_statuses() {
    static const std::vector<CodeLabel> v = {
        {"open", "Ouverte"}, {"found", "Partenaire trouvé"}, {"abandoned", "Abandonnée"}};
    return v;
}

const std::vector<CodeLabel>& consortium_roles() {
    static const std::vector<CodeLabel> v = {
        {"lead", "Mandataire"}, {"member", "Co-traitant"}, {"subcontractor", "Sous-traitant"}};
    return v;
}

const std::vector<std::string>& default_checklist() {
    static const std::vector<std::string> v = {
        "Convention de groupement signée (répartition des prestations et des paiements)",
        "Habilitation du mandataire par chaque co-traitant",
        "Lettre de candidature (DC1) ou DUME du groupement",
        "Déclaration de chaque membre (DC2 ou DUME)",
        "Attestations fiscales et sociales de chaque membre",
        "Attestations d'assurance",
        "Références et moyens de chaque membre",
        "Mémoire technique commun",
        "Offre financière (BPU / DPGF) avec la répartition par membre",
        "Déclarations de sous-traitance (DC4), le cas échéant",
    };
    return v;
}

bool offer_seeks(const std::string& kind) { return kind.rfind("seek_", 0) == 0; }

Result<Offer> validate_offer(const OfferInput& in, const std::vector<int>& lot_numbers) {
    core::FieldErrors errors;
    Offer out;
    out.kind = trim(in.kind);
    if (!label_of(offer_kinds(), out.kind)) errors["kind"] = "Choisissez ce que vous cherchez ou proposez.";
    if (auto lot = trim(in.lot); !lot.empty()) {
        int n = 0;
        const bool digits =
            lot.size() <= 3 && std::all_of(lot.begin(), lot.end(), [](char c) { return c >= '0' && c <= '9'; });
        if (digits) n = std::stoi(lot);
        if (!digits || std::find(lot_numbers.begin(), lot_numbers.end(), n) == lot_numbers.end())
            errors["lot"] = "Ce lot n'existe pas dans la consultation.";
        else
            out.lot_number = n;
    }
    std::set<std::string> codes;
    for (const auto& c : in.cpv_codes) {
        if (trim(c).empty()) continue;
        std::string why;
        auto code = parse_cpv(trim(c), &why);
        if (!code) {
            errors["cpv_codes"] = "Code CPV « " + trim(c) + " » : " + why;
            break;
        }
        codes.insert(code->code);
    }
    if (codes.size() > 10) errors["cpv_codes"] = "Dix codes CPV au plus.";
    out.cpv_codes.assign(codes.begin(), codes.end());
    std::set<std::string> deps;
    for (const auto& d : in.departements) {
        const std::string code = trim(d);
        if (code.empty()) continue;
        if (!is_departement_code(code)) {
            errors["departements"] = "Département inconnu : " + code + ".";
            break;
        }
        deps.insert(code);
    }
    out.departements.assign(deps.begin(), deps.end());
    if (auto share = trim(in.share); !share.empty()) {
        const bool digits =
            share.size() <= 3 && std::all_of(share.begin(), share.end(), [](char c) { return c >= '0' && c <= '9'; });
        const int pct = digits ? std::stoi(share) : -1;
        if (pct < 1 || pct > 100)
            errors["share"] = "La part des prestations est un pourcentage entier de 1 à 100.";
        else
            out.share_percent = pct;
    }
    out.description = trim(in.description);
    const auto len = utf8_length(out.description);
    if (len < 20)
        errors["description"] =
            "Décrivez en quelques phrases ce que vous cherchez ou proposez (20 caractères au moins).";
    else if (len > 4000)
        errors["description"] = "La description compte au plus 4 000 caractères.";
    else if (!is_clean_text(out.description))
        errors["description"] = "La description contient des caractères non autorisés.";
    errors.order_as({"kind", "lot", "share", "cpv_codes", "departements", "description"});  // the form's order
    if (!errors.empty()) return Error::Invalid("L'offre contient des erreurs.", errors);
    return out;
}

std::string offer_transition_error(const std::string& from, const std::string& to) {
    if (to != "found" && to != "abandoned") return "Action inconnue.";
    if (from != "open") return "Cette offre est déjà close.";
    return "";
}

Result<std::string> validate_message(const std::string& body, std::size_t attachments) {
    std::string text = trim(body);
    FieldErrors errors;  // in the form's order: the text, then the files
    if (text.empty() && attachments == 0)
        errors["body"] = "Écrivez un message.";
    else if (utf8_length(text) > kMaxMessageChars)
        errors["body"] = "Un message compte au plus 5 000 caractères.";
    else if (!is_clean_text(text))
        errors["body"] = "Le message contient des caractères non autorisés.";
    if (attachments > kMaxAttachments) errors["attachments"] = "Trois pièces jointes au plus par message.";
    if (!errors.empty()) return Error::Invalid("Le message contient des erreurs.", std::move(errors));
    return text;
}

namespace {

bool insertion_structure(const std::vector<std::string>& labels, const std::string& clause) {
    return std::any_of(labels.begin(), labels.end(), [&](const std::string& l) {
        if (clause == "reserved_ea_esat") return l == "ea" || l == "esat";
        if (clause == "reserved_ess") return l == "ess" || l.rfind("siae_", 0) == 0;
        return l.rfind("siae_", 0) == 0 || l == "geiq";
    });
}

double best_closeness(const std::vector<std::string>& skills, const std::string& code) {
    double best = 0;
    for (const auto& s : skills) best = std::max(best, sourcing::cpv_closeness(s, code));
    return best;
}

std::string lot_words(const PartnerLot& l, std::size_t lots) {
    return lots > 1 ? "le lot " + std::to_string(l.number) : "la consultation";
}

}  // namespace

std::vector<PartnerSuggestion> suggest_partners(const PartnerRequest& r,
                                                const std::vector<PartnerCandidate>& candidates) {
    const std::size_t lots_in_notice = r.notice_lots ? r.notice_lots : r.lots.size();
    // What the author does not cover: a lot whose code is not within its skills (class level or closer).
    std::vector<const PartnerLot*> uncovered;
    for (const auto& l : r.lots)
        if (best_closeness(r.author_skills, l.cpv) < 0.7) uncovered.push_back(&l);
    std::vector<PartnerSuggestion> out;
    for (const auto& c : candidates) {
        PartnerSuggestion s;
        s.org_id = c.org_id;
        s.name = c.name;
        for (const auto* l : uncovered) {
            const double fit = best_closeness(c.cpv_codes, l->cpv);
            if (fit >= 0.7) {  // the same class of work at least
                s.score += fit;
                s.reasons.push_back("couvre " + lot_words(*l, lots_in_notice) + " (CPV " + l->cpv +
                                    ") que vous ne couvrez pas");
            }
        }
        for (const auto& code : r.sought) {
            const double fit = best_closeness(c.cpv_codes, code);
            if (fit >= 0.7) {
                s.score += fit;
                s.reasons.push_back(
                    std::string(fit == 1 ? "a la compétence recherchée " : "a une compétence proche de ") + code);
            }
        }
        for (const auto& l : r.lots) {
            if (l.clause_kind.empty() || l.clause_kind == "none" || l.clause_kind == "award_criterion") continue;
            if (!insertion_structure(c.labels, l.clause_kind)) continue;
            s.score += 0.8;  // a complementary skill first, then the insertion structures
            std::string what;
            for (const auto& lab : c.labels)
                if (lab.rfind("siae_", 0) == 0 || lab == "ea" || lab == "esat" || lab == "geiq")
                    what = lab.rfind("siae_", 0) == 0 ? "SIAE" : lab == "geiq" ? "GEIQ" : lab == "ea" ? "EA" : "ESAT";
            const bool whole = lots_in_notice <= 1;
            s.reasons.push_back(what + " : " + lot_words(l, lots_in_notice) +
                                (l.clause_kind == "insertion_hours" ? " comporte une clause d'insertion"
                                 : whole                            ? " est réservée à ces structures"
                                                                    : " est réservé à ces structures"));
        }
        if (s.score <= 0) continue;
        std::string here;
        for (const auto& d : c.departements)
            if (std::find(r.places.begin(), r.places.end(), d) != r.places.end()) here = d;
        if (!here.empty()) {
            s.reasons.push_back("intervient dans le " + here);
        } else if (!r.places.empty()) {
            s.score *= 0.5;
        }
        out.push_back(std::move(s));
    }
    std::sort(out.begin(), out.end(), [](const PartnerSuggestion& a, const PartnerSuggestion& b) {
        return a.score != b.score ? a.score > b.score : a.name < b.name;
    });
    if (out.size() > r.limit) out.resize(r.limit);
    return out;
}

}  // namespace passerelle::core
