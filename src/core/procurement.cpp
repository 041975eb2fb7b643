#include "core/procurement.hpp"

#include <algorithm>
#include <cctype>
#include <set>

#include "core/cpv.hpp"
#include "core/french.hpp"
#include "core/validation.hpp"

namespace passerelle::core {

const std::vector<CodeLabel>& procedures() {
    static const std::vector<CodeLabel> v = {
        {"ao_ouvert", "Appel d'offres ouvert"}, {"ao_restreint", "Appel d'offres restreint"},
        {"mapa", "Procédure adaptée (MAPA)"},   {"negociee", "Procédure avec négociation"},
        {"dialogue", "Dialogue compétitif"},    {"concours", "Concours"}};
    return v;
}

const std::vector<CodeLabel>& clause_intents() {
    static const std::vector<CodeLabel> v = {{"none", "Pas de clause sociale prévue"},
                                             {"insertion", "Clause sociale d'insertion (heures d'insertion)"},
                                             {"reserved_siae", "Marché réservé aux SIAE"},
                                             {"reserved_ea_esat", "Marché réservé aux EA / ESAT"},
                                             {"reserved_ess", "Marché réservé aux entreprises de l'ESS"},
                                             {"award_criterion", "Critère d'attribution lié à l'insertion"}};
    return v;
}

std::string roadmap_status_code(RoadmapStatus s) {
    switch (s) {
        case RoadmapStatus::kDraft:
            return "draft";
        case RoadmapStatus::kPublished:
            return "published";
        case RoadmapStatus::kConverted:
            return "converted";
        case RoadmapStatus::kAbandoned:
            return "abandoned";
    }
    return "draft";
}

std::optional<RoadmapStatus> parse_roadmap_status(const std::string& code) {
    for (auto s :
         {RoadmapStatus::kDraft, RoadmapStatus::kPublished, RoadmapStatus::kConverted, RoadmapStatus::kAbandoned})
        if (roadmap_status_code(s) == code) return s;
    return std::nullopt;
}

std::string roadmap_status_label(RoadmapStatus s) {
    switch (s) {
        case RoadmapStatus::kDraft:
            return "Brouillon";
        case RoadmapStatus::kPublished:
            return "Publié";
        case RoadmapStatus::kConverted:
            return "Consultation lancée";
        case RoadmapStatus::kAbandoned:
            return "Abandonné";
    }
    return "";
}

bool roadmap_transition_allowed(RoadmapStatus from, RoadmapStatus to) {
    switch (from) {
        case RoadmapStatus::kDraft:
            return to == RoadmapStatus::kPublished || to == RoadmapStatus::kAbandoned;
        case RoadmapStatus::kPublished:
            return to == RoadmapStatus::kConverted || to == RoadmapStatus::kAbandoned;
        case RoadmapStatus::kConverted:
        case RoadmapStatus::kAbandoned:
            return false;
    }
    return false;
}

std::string Quarter::code() const { return std::to_string(year) + "-T" + std::to_string(q); }

std::string Quarter::label() const {
    return std::to_string(q) + (q == 1 ? "er" : "e") + " trimestre " + std::to_string(year);
}

std::optional<Quarter> parse_quarter(const std::string& raw) {
    std::string s = trim(raw);
    if (s.size() != 7 || s[4] != '-' || (s[5] != 'T' && s[5] != 'Q' && s[5] != 't' && s[5] != 'q')) return std::nullopt;
    if (!std::all_of(s.begin(), s.begin() + 4, ::isdigit) || s[6] < '1' || s[6] > '4') return std::nullopt;
    return Quarter{std::stoi(s.substr(0, 4)), s[6] - '0'};
}

Quarter quarter_of(std::int64_t t) {
    CivilTime c = to_paris(t);
    return Quarter{c.year, (c.month - 1) / 3 + 1};
}

std::optional<std::int64_t> parse_euros(const std::string& raw) {
    std::string digits;
    for (std::size_t i = 0; i < raw.size(); ++i) {
        unsigned char c = static_cast<unsigned char>(raw[i]);
        if (std::isdigit(c)) {
            digits.push_back(static_cast<char>(c));
        } else if (c == ' ' || c == '.' || c == '\t') {
            continue;
        } else if (c == 0xE2 && i + 2 < raw.size() && raw.compare(i, 3, "\u20ac") == 0) {
            i += 2;  // €
        } else if (c == 0xE2 && i + 2 < raw.size() && raw.compare(i, 3, "\u202f") == 0) {
            i += 2;  // narrow no-break space
        } else if (c == 0xC2 && i + 1 < raw.size() && static_cast<unsigned char>(raw[i + 1]) == 0xA0) {
            i += 1;  // no-break space
        } else {
            return std::nullopt;
        }
    }
    if (digits.empty() || digits.size() > 12) return std::nullopt;
    return std::stoll(digits);
}

std::string amount_range_label(std::int64_t min, std::int64_t max) {
    if (min <= 0) return "jusqu'à " + format_amount_eur(max);
    if (min == max) return format_amount_eur(min);
    return format_amount_eur(min) + " à " + format_amount_eur(max);
}

Result<RoadmapItemData> validate_roadmap_item(const RoadmapItemInput& in, std::int64_t now) {
    core::FieldErrors errors;
    RoadmapItemData out;
    out.title = trim(in.title);
    if (out.title.empty())
        errors["title"] = "L'intitulé du projet d'achat est obligatoire.";
    else if (utf8_length(out.title) > 200 || !is_clean_line(out.title))
        errors["title"] = "L'intitulé doit compter au plus 200 caractères.";
    out.description = trim(in.description);
    if (utf8_length(out.description) > 8000 || !is_clean_text(out.description))
        errors["description"] = "La description doit compter au plus 8 000 caractères.";

    std::set<std::string> cpvs;
    std::string why;
    for (const auto& c : in.cpv_codes) {
        if (trim(c).empty()) continue;
        auto code = parse_cpv(c, &why);
        if (!code) {
            errors["cpv_codes"] = "« " + trim(c).substr(0, 40) + " » : " + why;
            break;
        }
        cpvs.insert(code->code);
    }
    if (cpvs.empty() && !errors.count("cpv_codes")) errors["cpv_codes"] = "Indiquez au moins un code CPV.";
    if (cpvs.size() > 20) errors["cpv_codes"] = "Indiquez au plus 20 codes CPV.";
    out.cpv_codes.assign(cpvs.begin(), cpvs.end());

    auto min = trim(in.amount_min).empty() ? std::optional<std::int64_t>(0) : parse_euros(in.amount_min);
    auto max = parse_euros(in.amount_max);
    if (!min) errors["amount_min"] = "Le montant minimal doit être un nombre d'euros, par exemple 100 000.";
    if (!max)
        errors["amount_max"] = "Le montant estimé maximal est obligatoire, en euros hors taxes (par exemple 250 000).";
    if (min && max) {
        if (*min > *max) errors["amount_min"] = "Le montant minimal ne peut pas dépasser le montant maximal.";
        if (*max == 0) errors["amount_max"] = "Le montant maximal doit être supérieur à zéro.";
        out.amount_min = *min;
        out.amount_max = *max;
    }

    auto q = parse_quarter(in.quarter);
    Quarter current = quarter_of(now);
    Quarter last = quarter_of(now + 548 * 86400);  // 18 months ahead
    if (!q)
        errors["quarter"] = "Choisissez le trimestre de publication prévu.";
    else if (q->index() < current.index() || q->index() > last.index())
        errors["quarter"] = "Le trimestre prévu doit se situer entre " + current.label() + " et " + last.label() + ".";
    else
        out.quarter = *q;

    out.procedure = trim(in.procedure);
    if (!label_of(procedures(), out.procedure))
        errors["procedure"] = "Choisissez la procédure envisagée dans la liste.";

    std::set<std::string> deps;
    for (const auto& d : in.departements) {
        std::string t = trim(d);
        if (t.empty()) continue;
        if (!is_departement_code(t)) {
            errors["departements"] = "« " + t.substr(0, 10) + " » n'est pas un code de département.";
            break;
        }
        deps.insert(t);
    }
    if (deps.empty() && !errors.count("departements"))
        errors["departements"] = "Indiquez au moins un département d'exécution.";
    out.departements.assign(deps.begin(), deps.end());

    out.lots = trim(in.lots);
    if (utf8_length(out.lots) > 2000 || !is_clean_text(out.lots))
        errors["lots"] = "La description des lots doit compter au plus 2 000 caractères.";
    out.clause_intent = trim(in.clause_intent).empty() ? "none" : trim(in.clause_intent);
    if (!label_of(clause_intents(), out.clause_intent))
        errors["clause_intent"] = "Choisissez une intention de clause sociale dans la liste.";
    out.innovation = in.innovation;

    out.contact_name = trim(in.contact_name);
    if (utf8_length(out.contact_name) > 120 || !is_clean_line(out.contact_name))
        errors["contact_name"] = "Le nom du contact doit compter au plus 120 caractères.";
    if (!trim(in.contact_email).empty()) {
        auto email = normalize_email(in.contact_email, &why);
        if (!email)
            errors["contact_email"] = why;
        else
            out.contact_email = *email;
    }
    if (!errors.empty()) return Error::Invalid("Le formulaire contient des erreurs.", std::move(errors));
    return out;
}

namespace {
std::string join(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
    return out.empty() ? "—" : out;
}
std::string label_or(const std::vector<CodeLabel>& l, const std::string& code) {
    return label_of(l, code).value_or(code);
}
}  // namespace

std::vector<std::string> roadmap_changes(const RoadmapItemData& a, const RoadmapItemData& b) {
    std::vector<std::string> out;
    if (a.title != b.title) out.push_back("Intitulé : « " + a.title + " » → « " + b.title + " »");
    if (a.description != b.description) out.push_back("Description modifiée");
    if (a.cpv_codes != b.cpv_codes) out.push_back("Codes CPV : " + join(a.cpv_codes) + " → " + join(b.cpv_codes));
    if (a.amount_min != b.amount_min || a.amount_max != b.amount_max)
        out.push_back("Montant estimé : " + amount_range_label(a.amount_min, a.amount_max) + " → " +
                      amount_range_label(b.amount_min, b.amount_max));
    if (!(a.quarter == b.quarter))
        out.push_back("Publication prévue : " + a.quarter.label() + " → " + b.quarter.label());
    if (a.procedure != b.procedure)
        out.push_back("Procédure : " + label_or(procedures(), a.procedure) + " → " +
                      label_or(procedures(), b.procedure));
    if (a.departements != b.departements)
        out.push_back("Départements : " + join(a.departements) + " → " + join(b.departements));
    if (a.lots != b.lots) out.push_back("Allotissement envisagé modifié");
    if (a.clause_intent != b.clause_intent)
        out.push_back("Clause sociale : " + label_or(clause_intents(), a.clause_intent) + " → " +
                      label_or(clause_intents(), b.clause_intent));
    if (a.innovation != b.innovation)
        out.push_back(b.innovation ? "Marqué comme achat innovant" : "N'est plus marqué comme achat innovant");
    if (a.contact_name != b.contact_name || a.contact_email != b.contact_email) out.push_back("Contact modifié");
    return out;
}

}  // namespace passerelle::core
