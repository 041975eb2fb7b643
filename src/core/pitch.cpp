#include "core/pitch.hpp"

#include <algorithm>

#include "core/notice.hpp"
#include "core/validation.hpp"

namespace passerelle::core::pitches {

namespace {

void text(core::FieldErrors& errors, const char* field, std::string& v, std::size_t max, bool required,
          const char* what) {
    v = trim(v);
    if (required && v.empty())
        errors[field] = std::string("Indiquez ") + what + ".";
    else if (utf8_length(v) > max)
        errors[field] = "Ce texte est trop long (" + std::to_string(max) + " caractères au plus).";
    else if (!is_clean_text(v))
        errors[field] = "Ce texte contient des caractères non autorisés.";
}

}  // namespace

Result<ApplicationInput> validate_application(const ApplicationInput& raw) {
    ApplicationInput in = raw;
    core::FieldErrors errors;
    text(errors, "summary", in.summary, 2000, true, "ce que vous proposez");
    text(errors, "innovation", in.innovation, 2000, true, "ce qui est innovant");
    text(errors, "references", in.references, 2000, false, "");
    if (!errors.empty()) return Error::Invalid("Votre candidature contient des erreurs.", std::move(errors));
    return in;
}

Result<std::vector<Criterion>> validate_criteria(const std::vector<CriterionInput>& in) {
    core::FieldErrors errors;
    std::vector<Criterion> out;
    for (std::size_t i = 0; i < in.size(); ++i) {
        const std::string key = "criteria." + std::to_string(i + 1) + ".";
        std::string label = trim(in[i].label);
        if (label.empty()) continue;
        if (utf8_length(label) > 200 || !is_clean_text(label)) {
            errors[key + "label"] = "Le critère fait au plus 200 caractères.";
            continue;
        }
        auto w = trim(in[i].weight).empty() ? std::optional<int>(1) : parse_int(in[i].weight);
        if (!w || *w < 1 || *w > 10) {
            errors[key + "weight"] = "Le poids d'un critère va de 1 à 10.";
            continue;
        }
        out.push_back({0, std::move(label), *w});
    }
    if (out.empty() && errors.empty()) errors["criteria.1.label"] = "Indiquez au moins un critère de notation.";
    if (!errors.empty()) return Error::Invalid("La grille de notation contient des erreurs.", std::move(errors));
    return out;
}

Result<Call> validate_call(const CallInput& in, std::int64_t event_starts_at) {
    core::FieldErrors errors;
    Call out;
    auto places = parse_int(in.places);
    if (!places || *places < 1 || *places > 50)
        errors["places"] = "Indiquez le nombre de pitchs à retenir (de 1 à 50).";
    else
        out.places = *places;
    auto closes = parse_paris_datetime(in.closes);
    if (!closes)
        errors["closes"] = "Indiquez la date limite des candidatures (jour et heure).";
    else if (*closes > event_starts_at)
        errors["closes"] = "Les candidatures doivent être closes avant l'événement.";
    else
        out.closes_at = *closes;
    out.blind = in.blind;
    if (!errors.empty()) return Error::Invalid("L'appel à pitchs contient des erreurs.", std::move(errors));
    return out;
}

Result<std::map<std::int64_t, int>> parse_scores(const std::vector<Criterion>& criteria,
                                                 const std::map<std::int64_t, std::string>& raw) {
    std::map<std::int64_t, int> out;
    core::FieldErrors errors;  // every criterion left without a note, in the grid's order
    for (const auto& c : criteria) {
        auto it = raw.find(c.id);
        auto v = it == raw.end() ? std::nullopt : parse_int(it->second);
        if (!v || *v < 0 || *v > kMaxScore)
            errors["score." + std::to_string(c.id)] =
                "« " + c.label + " » : une note de 0 à " + std::to_string(kMaxScore) + ".";
        else
            out[c.id] = *v;
    }
    if (!errors.empty())
        return Error::Invalid("Notez chaque critère de 0 à " + std::to_string(kMaxScore) + ".", std::move(errors));
    return out;
}

std::vector<Ranked> rank(const std::vector<Criterion>& criteria, const std::vector<std::int64_t>& applications,
                         const std::map<std::int64_t, std::vector<Review>>& reviews) {
    int total_weight = 0;
    for (const auto& c : criteria) total_weight += c.weight;
    std::vector<Ranked> out;
    for (auto app : applications) {
        Ranked r;
        r.application = app;
        double sum = 0;
        if (auto it = reviews.find(app); it != reviews.end())
            for (const auto& rv : it->second) {
                if (rv.abstained) {
                    ++r.abstentions;
                    continue;
                }
                int weighted = 0;
                bool complete = total_weight > 0;
                for (const auto& c : criteria) {
                    auto s = rv.scores.find(c.id);
                    if (s == rv.scores.end()) {
                        complete = false;
                        break;
                    }
                    weighted += c.weight * s->second;
                }
                if (!complete) continue;
                sum += 20.0 * weighted / (static_cast<double>(total_weight) * kMaxScore);
                ++r.reviews;
            }
        r.score = r.reviews ? sum / r.reviews : 0;
        out.push_back(r);
    }
    std::stable_sort(out.begin(), out.end(), [](const Ranked& a, const Ranked& b) {
        if ((a.reviews > 0) != (b.reviews > 0)) return a.reviews > 0;
        return a.score > b.score;
    });
    return out;
}

}  // namespace passerelle::core::pitches
