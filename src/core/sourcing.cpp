#include "core/sourcing.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include "core/french.hpp"

namespace passerelle::core::sourcing {
namespace {

bool is_cpv8(const std::string& s) {
    return s.size() == 8 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Significant digits of a CPV code: without its trailing zeros, at least the division.
std::size_t significant(const std::string& c) {
    std::size_t n = c.find_last_not_of('0');
    return std::max<std::size_t>(2, n == std::string::npos ? 0 : n + 1);
}

std::optional<std::int64_t> day_number(const std::string& iso) {
    auto t = parse_iso_day(iso);
    if (!t) return std::nullopt;
    return from_utc(t->year, t->month, t->day) / 86400;
}

std::string siren_of(const std::string& id) {
    if (id.size() < 9 || !std::all_of(id.begin(), id.begin() + 9, [](char c) { return c >= '0' && c <= '9'; }))
        return id;
    return id.substr(0, 9);
}

bool has_prefix(const std::string& s, const char* p) { return s.rfind(p, 0) == 0; }

bool insertion_label(const std::string& l) { return has_prefix(l, "siae_") || l == "geiq"; }

const char* label_text(const std::string& l) {
    if (l == "siae_ei") return "SIAE (EI)";
    if (l == "siae_aci") return "SIAE (ACI)";
    if (l == "siae_etti") return "SIAE (ETTI)";
    if (l == "siae_ai") return "SIAE (AI)";
    if (l == "ea") return "EA";
    if (l == "esat") return "ESAT";
    if (l == "ess") return "ESS";
    if (l == "geiq") return "GEIQ";
    return nullptr;
}

std::string plural(std::int64_t n, const char* word) { return format_integer_fr(n) + " " + word + (n > 1 ? "s" : ""); }

std::string place_words(const std::string& dep, const Geography& geo) {
    auto it = geo.find(dep);
    if (it == geo.end() || it->second.name.empty()) return "dans le " + dep;
    return "dans le " + dep + " (" + it->second.name + ")";
}

}  // namespace

double cpv_closeness(const std::string& a, const std::string& b) {
    if (!is_cpv8(a) || !is_cpv8(b)) return 0;
    std::size_t common = 0;
    while (common < 8 && a[common] == b[common]) ++common;
    if (common >= std::min(significant(a), significant(b))) return 1;
    static constexpr double kByDepth[8] = {0, 0, 0.35, 0.55, 0.7, 0.8, 0.85, 0.9};
    return kByDepth[common];
}

bool qualifies(const std::vector<std::string>& labels, const std::string& reservation) {
    if (reservation.empty()) return true;
    return std::any_of(labels.begin(), labels.end(), [&](const std::string& l) {
        if (reservation == "siae") return has_prefix(l, "siae_");
        if (reservation == "ea_esat") return l == "ea" || l == "esat";
        if (reservation == "ess") return l == "ess" || has_prefix(l, "siae_");
        return false;
    });
}

std::vector<Suggestion> rank(const Request& request, const std::vector<Candidate>& candidates,
                             const Geography& geography, const Weights& w) {
    const auto as_of = day_number(request.as_of);
    const std::string buyer_siren = request.buyer_siret.empty() ? "" : siren_of(request.buyer_siret);
    const std::string division = request.cpv.size() >= 2 ? request.cpv.substr(0, 2) : request.cpv;
    std::string request_region;
    if (auto it = geography.find(request.departement); it != geography.end()) request_region = it->second.region;

    auto place_factor = [&](const std::string& dep) {
        if (request.departement.empty()) return 1.0;
        if (dep.empty()) return (w.same_region + w.elsewhere) / 2;
        if (dep == request.departement) return 1.0;
        auto it = geography.find(dep);
        if (!request_region.empty() && it != geography.end() && it->second.region == request_region)
            return w.same_region;
        return w.elsewhere;
    };

    std::vector<Suggestion> out;
    for (const auto& cand : candidates) {
        if (!qualifies(cand.labels, request.reservation)) continue;

        double history = 0;
        std::int64_t similar = 0, similar_here = 0, exact = 0, from_buyer = 0;
        int first_year = 0, first_year_here = 0, last_buyer_year = 0;
        std::optional<double> comparable_amount;
        for (const auto& a : cand.awards) {
            double sim = cpv_closeness(request.cpv, a.cpv);
            const bool same_buyer = !buyer_siren.empty() && siren_of(a.buyer) == buyer_siren;
            const int year = a.notified_on.size() >= 4 ? std::atoi(a.notified_on.substr(0, 4).c_str()) : 0;
            if (sim > 0) {
                ++similar;
                if (year && (!first_year || year < first_year)) first_year = year;
                if (!request.departement.empty() && a.departement == request.departement) {
                    ++similar_here;
                    if (year && (!first_year_here || year < first_year_here)) first_year_here = year;
                }
                if (a.cpv == request.cpv) ++exact;
                if (request.amount && a.amount && *a.amount > 0 && *request.amount > 0) {
                    double ratio = std::fabs(std::log10(*a.amount / *request.amount));
                    if (ratio <= std::log10(3.0) &&
                        (!comparable_amount || std::fabs(std::log10(*comparable_amount / *request.amount)) > ratio))
                        comparable_amount = *a.amount;
                }
            }
            if (same_buyer) {
                ++from_buyer;
                if (year > last_buyer_year) last_buyer_year = year;
                if (sim == 0) sim = w.other_division_buyer;
            }
            if (sim == 0) continue;

            double recency = 0.5;
            if (auto d = day_number(a.notified_on); d && as_of) {
                double age = std::max<double>(0, static_cast<double>(*as_of - *d));
                recency = std::exp2(-age / w.history_half_life_days);
            }
            double amount = 1;
            if (request.amount && a.amount && *a.amount > 0 && *request.amount > 0)
                amount = std::max(0.4, 1 - 0.3 * std::fabs(std::log10(*a.amount / *request.amount)));
            history += sim * recency * place_factor(a.departement) * amount * (same_buyer ? w.same_buyer_factor : 1);
        }

        double declared = 0;
        std::string best_declared;
        for (const auto& c : cand.declared_cpv) {
            double sim = cpv_closeness(request.cpv, c);
            if (sim > declared || (sim == declared && sim > 0 && c == request.cpv)) {
                declared = sim;
                best_declared = c;
            }
        }
        const bool works_here = !request.departement.empty() &&
                                std::find(cand.departements.begin(), cand.departements.end(), request.departement) !=
                                    cand.departements.end();
        const bool label_fits =
            (!request.reservation.empty()) ||
            (request.social_clause && std::any_of(cand.labels.begin(), cand.labels.end(), insertion_label));

        // What the profile declares counts where the company works: the best of its départements.
        double profile_place = cand.departements.empty() ? place_factor("") : 0;
        for (const auto& d : cand.departements) profile_place = std::max(profile_place, place_factor(d));

        double score = history + w.declared_skill * declared * profile_place;
        const bool relevant = score > 0 || (label_fits && works_here);
        if (!relevant) continue;
        if (works_here) score += w.declared_place;
        if (label_fits) score += w.label_bonus * profile_place;

        Suggestion s;
        s.siret = cand.siret;
        s.name = cand.name;
        s.score = score;
        if (similar > 0) {
            std::string r = "a remporté " + plural(similar, "marché") + " CPV " + division;
            if (similar_here == similar) {
                r += " " + place_words(request.departement, geography);
                if (first_year) r += " depuis " + std::to_string(first_year);
            } else {
                if (first_year) r += " depuis " + std::to_string(first_year);
                if (similar_here > 0)
                    r +=
                        ", dont " + format_integer_fr(similar_here) + " " + place_words(request.departement, geography);
            }
            s.reasons.push_back(r);
            if (exact > 0 && request.cpv.substr(2) != "000000")
                s.reasons.push_back("dont " + format_integer_fr(exact) + " avec le code " + request.cpv);
        }
        if (from_buyer > 0) {
            std::string r = "a déjà remporté " + plural(from_buyer, "marché") + " de cet acheteur";
            if (last_buyer_year) r += " (le dernier en " + std::to_string(last_buyer_year) + ")";
            s.reasons.push_back(r);
        }
        if (comparable_amount)
            s.reasons.push_back("a remporté un marché proche de " +
                                format_amount_eur(static_cast<std::int64_t>(std::llround(*comparable_amount))));
        if (declared > 0)
            s.reasons.push_back(declared == 1 ? "a déclaré la compétence " + best_declared
                                              : "a déclaré une compétence proche (" + best_declared + ")");
        std::string labels;
        for (const auto& l : cand.labels)
            if (const char* t = label_text(l)) labels += (labels.empty() ? "" : ", ") + std::string(t);
        if (!labels.empty())
            s.reasons.push_back(
                labels + (works_here ? " intervenant " + place_words(request.departement, geography) : std::string()));
        else if (works_here && similar_here == 0)
            s.reasons.push_back("intervient " + place_words(request.departement, geography));
        out.push_back(std::move(s));
    }
    std::sort(out.begin(), out.end(), [](const Suggestion& a, const Suggestion& b) {
        if (a.score != b.score) return a.score > b.score;
        if (a.name != b.name) return a.name < b.name;
        return a.siret < b.siret;
    });
    if (out.size() > request.limit) out.resize(request.limit);
    return out;
}

}  // namespace passerelle::core::sourcing
