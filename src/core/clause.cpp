#include "core/clause.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include "core/french.hpp"
#include "core/observatory.hpp"
#include "core/validation.hpp"

namespace passerelle::core::clauses {

namespace {

std::optional<std::int64_t> day_number(const std::string& iso) {
    auto d = parse_iso_day(iso);
    if (!d) return std::nullopt;
    return from_utc(d->year, d->month, d->day) / 86400;
}

// "12,5" or "12.5" -> 12.5; nullopt when not a finite number.
std::optional<double> parse_decimal(const std::string& text) {
    std::string s = trim(text);
    std::replace(s.begin(), s.end(), ',', '.');
    s.erase(std::remove(s.begin(), s.end(), ' '), s.end());
    if (s.empty() || s.find_first_not_of("0123456789.-") != std::string::npos) return std::nullopt;
    try {
        std::size_t used = 0;
        const double v = std::stod(s, &used);
        if (used != s.size() || !std::isfinite(v)) return std::nullopt;
        return v;
    } catch (...) {
        return std::nullopt;
    }
}

std::string percent_fr(double share) { return format_decimal_fr(share * 100, 1) + " %"; }

}  // namespace

const std::vector<CodeLabel>& clause_kinds() {
    static const std::vector<CodeLabel> v = {{"insertion_hours", "Heures d'insertion (condition d'exécution)"},
                                             {"reserved_siae", "Marché réservé aux SIAE"},
                                             {"reserved_ea_esat", "Marché réservé aux EA et ESAT"},
                                             {"reserved_ess", "Marché réservé aux entreprises de l'ESS"},
                                             {"award_criterion", "Critère d'attribution sur l'insertion"}};
    return v;
}

const std::vector<CodeLabel>& participant_categories() {
    static const std::vector<CodeLabel> v = {{"long_term_jobseekers", "Demandeurs d'emploi de longue durée"},
                                             {"under_26", "Jeunes de moins de 26 ans"},
                                             {"rsa_recipients", "Allocataires du RSA"},
                                             {"disabled", "Travailleurs handicapés"},
                                             {"over_50", "Seniors de plus de 50 ans"},
                                             {"priority_neighbourhoods", "Habitants des quartiers prioritaires"}};
    return v;
}

Result<Clause> validate_clause(const ClauseInput& in) {
    core::FieldErrors errors;
    Clause c;
    c.kind = trim(in.kind);
    c.departement = trim(in.departement);
    c.notes = trim(in.notes);
    if (!label_of(clause_kinds(), c.kind)) errors["kind"] = "Choisissez le type de clause.";
    if (c.kind == "insertion_hours") {
        auto h = parse_int(trim(in.hours_required));
        if (!h || *h <= 0 || *h > 10'000'000)
            errors["hours_required"] = "Indiquez le nombre d'heures d'insertion exigées (un entier positif).";
        else
            c.hours_required = *h;
        c.period_start = trim(in.period_start);
        c.period_end = trim(in.period_end);
        auto s = day_number(c.period_start), e = day_number(c.period_end);
        if (!s) errors["period_start"] = "Indiquez le début de la période d'exécution.";
        if (!e) errors["period_end"] = "Indiquez la fin de la période d'exécution.";
        if (s && e && *e < *s) errors["period_end"] = "La période se termine avant de commencer.";
    } else {
        // Hours and a period only make sense for an hours clause, but what is typed is never ignored silently.
        const auto typed = [&](const std::string& v) { return !trim(v).empty(); };
        if (typed(in.hours_required))
            errors["hours_required"] =
                "Les heures d'insertion ne se renseignent que pour une clause d'heures : "
                "videz ce champ ou choisissez ce type de clause.";
        if (typed(in.period_start) && !day_number(trim(in.period_start)))
            errors["period_start"] = "Cette date n'existe pas.";
        if (typed(in.period_end) && !day_number(trim(in.period_end))) errors["period_end"] = "Cette date n'existe pas.";
    }
    if (utf8_length(c.notes) > 2000 || !is_clean_text(c.notes))
        errors["notes"] = "Les notes comptent au plus 2 000 caractères.";
    if (!errors.empty()) return Error::Invalid("La clause contient des erreurs.", std::move(errors));
    return c;
}

std::vector<std::string> usual_divisions() { return {"45", "50", "55", "60", "77", "79", "90", "98"}; }

FamilyParameters default_family(const std::string& division) {
    // Labour shares and thresholds as facilitators commonly start from; editable on the platform.
    static const std::map<std::string, FamilyParameters> usual = {
        {"45", {0.40, 300'000}},  // works
        {"50", {0.55, 150'000}},  // repair and maintenance
        {"55", {0.45, 150'000}},  // catering
        {"60", {0.50, 150'000}},  // transport
        {"77", {0.65, 90'000}},   // green spaces, agriculture services
        {"79", {0.60, 150'000}},  // services to businesses (reception, mail, call centres…)
        {"90", {0.75, 90'000}},   // cleaning, sanitation, waste
        {"98", {0.55, 150'000}},  // other community services
    };
    auto it = usual.find(division);
    return it == usual.end() ? FamilyParameters{0.30, 0} : it->second;
}

Estimate estimate_hours(std::int64_t amount, const std::string& division, const FamilyParameters& family,
                        const GlobalParameters& global) {
    Estimate e;
    const double hours = global.hourly_cost > 0 ? static_cast<double>(amount) * family.labour_share /
                                                      global.hourly_cost * global.insertion_rate
                                                : 0;
    e.hours = std::max<std::int64_t>(0, std::llround(hours));
    e.method = format_amount_eur(amount) + " × " + percent_fr(family.labour_share) + " de main-d'œuvre (famille " +
               division + ") ÷ " + format_decimal_fr(global.hourly_cost, 2) + " € de l'heure × " +
               percent_fr(global.insertion_rate) + " d'heures d'insertion = " + format_integer_fr(e.hours) + " heures";
    if (family.candidate_from <= 0) {
        e.reason = "Cette famille d'achats n'est pas habituellement concernée ; une clause reste possible.";
    } else if (amount >= family.candidate_from) {
        e.candidate = true;
        e.reason = "Famille d'achats habituellement concernée et montant d'au moins " +
                   format_amount_eur(family.candidate_from) + " : une clause d'insertion est recommandée.";
    } else {
        e.reason = "Famille habituellement concernée, mais montant inférieur à " +
                   format_amount_eur(family.candidate_from) + " : une clause reste possible.";
    }
    return e;
}

Result<GlobalParameters> parse_global(const std::string& hourly_cost, const std::string& insertion_rate_percent) {
    core::FieldErrors errors;
    GlobalParameters g;
    auto cost = parse_decimal(hourly_cost);
    if (!cost || *cost < 5 || *cost > 500)
        errors["hourly_cost"] = "Le coût horaire est un montant entre 5 et 500 €.";
    else
        g.hourly_cost = *cost;
    auto rate = parse_decimal(insertion_rate_percent);
    if (!rate || *rate <= 0 || *rate > 100)
        errors["insertion_rate"] = "Le taux d'insertion est un pourcentage entre 0 et 100.";
    else
        g.insertion_rate = *rate / 100;
    if (!errors.empty()) return Error::Invalid("Les paramètres contiennent des erreurs.", std::move(errors));
    return g;
}

Result<FamilyParameters> parse_family(const std::string& labour_share_percent, const std::string& candidate_from) {
    FamilyParameters f;
    core::FieldErrors errors;
    auto share = parse_decimal(labour_share_percent);
    if (!share || *share <= 0 || *share > 100)
        errors["share"] = "La part de main-d'œuvre est un pourcentage entre 0 et 100.";
    else
        f.labour_share = *share / 100;
    const std::string from = trim(candidate_from);
    if (!from.empty()) {
        auto n = parse_decimal(from);
        if (!n || *n < 0 || *n > 1e12)
            errors["candidate_from"] = "Le seuil est un montant positif en euros.";
        else
            f.candidate_from = std::llround(*n);
    }
    if (!errors.empty()) {
        std::string first = errors.begin()->second;  // copied before the errors are moved
        return Error::Invalid(std::move(first), std::move(errors));
    }
    return f;
}

Result<Declaration> validate_declaration(const DeclarationInput& in, const std::string& today) {
    core::FieldErrors errors;
    Declaration d;
    d.period_start = trim(in.period_start);
    d.period_end = trim(in.period_end);
    d.employer_name = trim(in.employer_name);
    auto s = day_number(d.period_start), e = day_number(d.period_end), now = day_number(today);
    if (!s) errors["period_start"] = "Indiquez le début de la période déclarée.";
    if (!e) errors["period_end"] = "Indiquez la fin de la période déclarée.";
    if (s && e && *e < *s) errors["period_end"] = "La période se termine avant de commencer.";
    if (e && now && *e > *now)
        errors["period_end"] =
            "On ne déclare que des heures déjà réalisées : la période ne peut pas finir après aujourd'hui.";
    auto count = [&](const std::string& field, const std::string& text, int& out, bool required) {
        const std::string t = trim(text);
        if (t.empty() && !required) return;
        auto n = parse_int(t);
        if (!n || *n < 0 || *n > 100000)
            errors[field] = "Indiquez un nombre de personnes (entier positif ou nul).";
        else
            out = *n;
    };
    count("participants", in.participants, d.participants, true);
    if (!errors.count("participants") && d.participants < 1)
        errors["participants"] = "Au moins une personne a travaillé pour que des heures soient déclarées.";
    auto hours = parse_decimal(in.hours);
    if (!hours || *hours <= 0)
        errors["hours"] = "Indiquez les heures réalisées (un nombre positif).";
    else
        d.hours = *hours;
    if (hours && s && e && *e >= *s && d.participants > 0) {
        const double max = 24.0 * static_cast<double>(*e - *s + 1) * d.participants;
        if (*hours > max)
            errors["hours"] = "Plus de 24 heures par jour et par personne sur la période (au plus " +
                              format_integer_fr(static_cast<std::int64_t>(max)) + " heures) : vérifiez la saisie.";
    }
    if (d.employer_name.empty())
        errors["employer_name"] = "Indiquez la structure qui a employé les personnes (SIAE, entreprise…).";
    else if (utf8_length(d.employer_name) > 200 || !is_clean_line(d.employer_name))
        errors["employer_name"] = "Le nom de l'employeur compte au plus 200 caractères.";
    for (const auto& cat : participant_categories()) {
        auto it = in.categories.find(cat.code);
        int n = 0;
        count(cat.code, it == in.categories.end() ? "" : it->second, n, false);
        if (!errors.count(cat.code) && n > d.participants && d.participants > 0)
            errors[cat.code] = std::string(cat.label) + " : plus de personnes que de participants.";
        d.categories[cat.code] = n;
    }
    count("women", in.women, d.women, false);
    count("men", in.men, d.men, false);
    if (!errors.count("women") && !errors.count("men") && d.participants > 0 && d.women + d.men > d.participants)
        errors["women"] = "Femmes et hommes comptent plus de personnes que de participants.";
    // The hours are checked against the participants, typed after them on the form.
    errors.order_as({"period_start", "period_end", "hours", "employer_name", "participants"});
    if (!errors.empty()) return Error::Invalid("La déclaration contient des erreurs.", std::move(errors));
    return d;
}

Progress progress(std::int64_t hours_required, double accepted_hours, const std::string& period_start,
                  const std::string& period_end, const std::string& today) {
    Progress p;
    auto s = day_number(period_start), e = day_number(period_end), now = day_number(today);
    if (hours_required > 0) {
        p.delivered = accepted_hours / static_cast<double>(hours_required);
    }
    if (!s || !e || !now || *e < *s) return p;
    const double length = static_cast<double>(*e - *s + 1);
    p.elapsed = std::clamp(static_cast<double>(*now - *s + 1) / length, 0.0, 1.0);
    if (*now < *s) p.elapsed = 0;
    p.finished = *now > *e;
    p.expected_hours = p.elapsed * static_cast<double>(hours_required);
    p.late = hours_required > 0 && p.elapsed >= 0.1 && p.delivered < p.elapsed - kLatenessTolerance;
    return p;
}

Report summarise(std::vector<ReportLine> lines) {
    Report r;
    for (const auto& l : lines) {
        r.required += l.required;
        r.delivered += l.delivered;
        r.participants += l.participants;
        for (const auto& [k, v] : l.categories) r.categories[k] += v;
        r.women += l.women;
        r.men += l.men;
    }
    r.fte = observatory::fte(r.delivered);
    r.lines = std::move(lines);
    return r;
}

}  // namespace passerelle::core::clauses
