#include "app/observatory.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "app/csv.hpp"
#include "app/office_formats.hpp"
#include "core/french.hpp"
#include "core/notice.hpp"
#include "core/validation.hpp"

namespace passerelle::app {

using core::Error;
using core::Result;
namespace ob = core::observatory;
namespace os = storage::observatory;

namespace {

std::string euros(double v) { return core::format_amount_eur(static_cast<std::int64_t>(std::llround(v))); }
std::string count(std::int64_t n) { return core::format_integer_fr(n); }
std::string pct(double v) { return core::format_decimal_fr(v, 1) + " %"; }

ob::Table make_table(std::string id, std::string title, std::string note, std::vector<std::string> columns) {
    ob::Table t;
    t.id = std::move(id);
    t.title = std::move(title);
    t.note = std::move(note);
    t.columns = std::move(columns);
    return t;
}

void add_row(ob::Table& t, std::vector<std::string> shown, std::vector<std::string> raw) {
    t.rows.push_back(std::move(shown));
    t.raw.push_back(std::move(raw));
}

ob::Table shares_table(const std::string& id, const std::string& title, const std::string& note,
                       const std::vector<ob::Share>& shares) {
    ob::Table t =
        make_table(id, title, note, {"Catégorie", "Contrats", "Part en nombre", "Montant", "Part en montant"});
    t.chart = "bar";
    t.series = {{"Part en nombre (%)", {}}, {"Part en montant (%)", {}}};
    for (const auto& s : shares) {
        add_row(t,
                {s.label, count(s.totals.count), pct(s.count_percent), euros(s.totals.amount), pct(s.amount_percent)},
                {s.label, std::to_string(s.totals.count), core::format_plain_decimal(s.count_percent),
                 core::format_plain_decimal(s.totals.amount), core::format_plain_decimal(s.amount_percent)});
        t.chart_labels.push_back(s.label);
        t.series[0].values.push_back(std::round(s.count_percent * 10) / 10);
        t.series[1].values.push_back(std::round(s.amount_percent * 10) / 10);
    }
    return t;
}

}  // namespace

Result<os::Filter> ObservatoryService::parse_filter(const std::string& year, const std::string& buyer,
                                                    const std::string& departement) {
    os::Filter f;
    const std::string y = core::trim(year), b = core::trim(buyer), d = core::trim(departement);
    if (!y.empty()) {
        if (!core::is_filter_year(y)) return Error::Invalid(core::kYearFilterMessage);
        f.year = y;
    }
    if (!b.empty()) {
        auto n = core::parse_int(b);
        if (!n || *n <= 0) return Error::Invalid("Choisissez un acheteur dans la liste.");
        f.buyer_org_id = *n;
    }
    if (!d.empty()) {
        if (d.size() > 3 || d.find_first_not_of("0123456789AB") != std::string::npos)
            return Error::Invalid("Le département s'écrit avec son code : 59, 2A, 971…");
        f.departement = d;
    }
    return f;
}

Result<Observatory> ObservatoryService::compute(const os::Filter& f) {
    Observatory out;
    out.filter = f;
    std::vector<os::KeyTotals> years, divisions, buyers;
    std::vector<ob::ProfileRow> profiles;
    std::vector<ob::ClauseRow> clauses;
    std::vector<os::HoursRow> hours;
    std::vector<os::EventFigures> events;
    std::optional<std::int64_t> from, to;
    if (!f.year.empty()) {
        from = core::parse_paris_datetime(f.year + "-01-01T00:00");
        to = core::parse_paris_datetime(std::to_string(std::stoi(f.year) + 1) + "-01-01T00:00");
    }
    core::Status st = db_.with_connection([&](storage::Connection& c) -> core::Status {
        auto y = os::by_year(c, f);
        if (!y) return y.error();
        years = std::move(y.value());
        auto d = os::by_division(c, f);
        if (!d) return d.error();
        divisions = std::move(d.value());
        auto b = os::by_buyer(c, f, 20);
        if (!b) return b.error();
        buyers = std::move(b.value());
        auto p = os::by_holder_profile(c, f);
        if (!p) return p.error();
        profiles = std::move(p.value());
        auto k = os::clauses_by_division(c, f);
        if (!k) return k.error();
        clauses = std::move(k.value());
        auto h = os::hours_by_year(c, f);
        if (!h) return h.error();
        hours = std::move(h.value());
        auto e = os::events(c, from, to);
        if (!e) return e.error();
        events = std::move(e.value());
        return {};
    });
    if (!st) return st.error();

    for (const auto& p : profiles) {
        out.contracts += p.totals.count;
        out.amount += p.totals.amount;
    }

    // Contracts per year.
    {
        ob::Table t = make_table("contrats-par-annee", "Contrats attribués par année",
                                 "Année de notification ; contrats sans date de notification non comptés ici.",
                                 {"Année", "Contrats", "Montant"});
        t.chart = "bar";
        t.series = {{"Contrats", {}}};
        for (const auto& y : years) {
            add_row(t, {y.key, count(y.totals.count), euros(y.totals.amount)},
                    {y.key, std::to_string(y.totals.count), core::format_plain_decimal(y.totals.amount)});
            t.chart_labels.push_back(y.key);
            t.series[0].values.push_back(static_cast<double>(y.totals.count));
        }
        out.tables.push_back(std::move(t));
    }
    // Holders by size and by social economy.
    out.tables.push_back(shares_table(
        "titulaires-par-taille", "Part des TPE et PME parmi les titulaires",
        "Taille déclarée par le titulaire (le mandataire d'un groupement) sur son profil Passerelle ; les titulaires "
        "sans profil ou sans taille déclarée sont comptés en « Taille inconnue ».",
        ob::size_shares(profiles)));
    out.tables.push_back(shares_table(
        "economie-sociale", "Part des SIAE et de l'économie sociale et solidaire",
        "Labels du profil du titulaire (SIAE, EA, ESAT, ESS) ; une SIAE qui est aussi une entreprise de l'ESS est "
        "comptée une fois, comme SIAE.",
        ob::social_economy_shares(profiles)));
    // Innovative SMEs against the national objective.
    out.innovation = ob::innovation_share(profiles);
    {
        const auto& i = out.innovation;
        ob::Table t =
            make_table("entreprises-innovantes", "Part gagnée par les PME innovantes",
                       "TPE et PME déclarant le label « entreprise innovante » (statut JEI ou prix d'innovation), "
                       "rapportées au montant de tous les contrats ; objectif national : 2 % du montant des achats.",
                       {"Indicateur", "Valeur"});
        add_row(t, {"Contrats gagnés par des PME innovantes", count(i.innovative_smes.count)},
                {"contrats_pme_innovantes", std::to_string(i.innovative_smes.count)});
        add_row(t, {"Montant gagné par des PME innovantes", euros(i.innovative_smes.amount)},
                {"montant_pme_innovantes", core::format_plain_decimal(i.innovative_smes.amount)});
        add_row(t, {"Part du montant", pct(i.amount_percent)},
                {"part_montant", core::format_plain_decimal(i.amount_percent)});
        add_row(t, {"Objectif national", pct(ob::kInnovationObjectivePercent)},
                {"objectif", core::format_plain_decimal(ob::kInnovationObjectivePercent)});
        add_row(t, {"Objectif atteint", i.reached ? "oui" : "non"}, {"objectif_atteint", i.reached ? "1" : "0"});
        t.chart = "bar";
        t.chart_labels = {"PME innovantes", "Objectif national"};
        t.series = {
            {"Part du montant (%)", {std::round(i.amount_percent * 100) / 100, ob::kInnovationObjectivePercent}}};
        out.tables.push_back(std::move(t));
    }
    // Social clauses by CPV family, least covered first.
    {
        constexpr std::int64_t kMin = 10;
        ob::Table t =
            make_table("clauses-par-famille", "Contrats avec une clause sociale, par famille d'achats",
                       "Division CPV du contrat ; clause sociale déclarée dans les DECP au format 2024 (considérations "
                       "sociales) ou enregistrée sur Passerelle — les DECP au format 2019 ne la renseignent pas. Les "
                       "familles les moins couvertes d'abord ; celles de moins de 10 contrats en fin de liste.",
                       {"Division CPV", "Famille", "Contrats", "Avec clause sociale", "Part"});
        t.chart = "bar";
        t.series = {{"Part avec clause sociale (%)", {}}};
        for (const auto& r : ob::clause_shares(clauses, kMin)) {
            add_row(t, {r.division, r.label, count(r.contracts), count(r.with_clause), pct(r.percent)},
                    {r.division, r.label, std::to_string(r.contracts), std::to_string(r.with_clause),
                     core::format_plain_decimal(r.percent)});
            if (r.contracts >= kMin && t.chart_labels.size() < 15) {
                t.chart_labels.push_back(r.division);
                t.series[0].values.push_back(std::round(r.percent * 10) / 10);
            }
        }
        out.tables.push_back(std::move(t));
    }
    // Insertion hours.
    {
        ob::Table t =
            make_table("heures-insertion", "Heures d'insertion exigées et réalisées",
                       "Clauses d'heures d'insertion des contrats notifiés dans l'année, par territoire de la clause ; "
                       "heures réalisées : déclarations acceptées par le facilitateur ; 1 ETP = 1 607 heures.",
                       {"Année", "Territoire", "Heures exigées", "Heures réalisées", "Réalisation", "Participants",
                        "ETP réalisés"});
        t.chart = "bar";
        t.series = {{"Heures exigées", {}}, {"Heures réalisées", {}}};
        for (const auto& h : hours) {
            const double rate = ob::percent(h.delivered, h.required);
            add_row(t,
                    {h.year, h.departement.empty() ? "—" : h.departement, count(std::llround(h.required)),
                     count(std::llround(h.delivered)), pct(rate), count(h.participants),
                     core::format_decimal_fr(ob::fte(h.delivered), 1)},
                    {h.year, h.departement, core::format_plain_decimal(h.required),
                     core::format_plain_decimal(h.delivered), core::format_plain_decimal(rate),
                     std::to_string(h.participants), core::format_plain_decimal(ob::fte(h.delivered))});
            if (t.chart_labels.empty() || t.chart_labels.back() != h.year) {
                t.chart_labels.push_back(h.year);
                t.series[0].values.push_back(0);
                t.series[1].values.push_back(0);
            }
            t.series[0].values.back() += h.required;
            t.series[1].values.back() += h.delivered;
        }
        out.tables.push_back(std::move(t));
    }
    // Contracts per CPV division and per buyer.
    {
        ob::Table t = make_table("contrats-par-famille", "Contrats attribués par famille d'achats",
                                 "Division CPV (deux premiers chiffres du code), par montant décroissant.",
                                 {"Division CPV", "Famille", "Contrats", "Montant"});
        t.chart = "bar";
        t.series = {{"Contrats", {}}};
        for (const auto& d : divisions) {
            add_row(t, {d.key, d.label, count(d.totals.count), euros(d.totals.amount)},
                    {d.key, d.label, std::to_string(d.totals.count), core::format_plain_decimal(d.totals.amount)});
            if (t.chart_labels.size() < 12) {
                t.chart_labels.push_back(d.key);
                t.series[0].values.push_back(static_cast<double>(d.totals.count));
            }
        }
        out.tables.push_back(std::move(t));
    }
    {
        ob::Table t =
            make_table("contrats-par-acheteur", "Les 20 acheteurs aux plus gros montants",
                       "Acheteurs par montant total des contrats attribués.", {"Acheteur", "Contrats", "Montant"});
        for (const auto& b : buyers)
            add_row(t, {b.label, count(b.totals.count), euros(b.totals.amount)},
                    {b.label, std::to_string(b.totals.count), core::format_plain_decimal(b.totals.amount)});
        out.tables.push_back(std::move(t));
    }
    // Events.
    {
        ob::Table t =
            make_table("evenements", "Rendez-vous d'affaires des événements",
                       "Événements publiés (de l'année choisie) : demandes de rendez-vous, acceptées, planifiées, et "
                       "rendez-vous dont au moins un participant a confirmé la tenue.",
                       {"Événement", "Date", "Demandes", "Acceptées", "Planifiés", "Ont eu lieu"});
        t.chart = "bar";
        t.chart_labels = {"Demandes", "Acceptées", "Planifiés", "Ont eu lieu"};
        t.series = {{"Rendez-vous", {0, 0, 0, 0}}};
        for (const auto& e : events) {
            add_row(t,
                    {e.title, core::format_date_fr(e.starts_at), count(e.requests), count(e.accepted),
                     count(e.scheduled), count(e.held)},
                    {e.title, core::format_iso_day_paris(e.starts_at), std::to_string(e.requests),
                     std::to_string(e.accepted), std::to_string(e.scheduled), std::to_string(e.held)});
            t.series[0].values[0] += static_cast<double>(e.requests);
            t.series[0].values[1] += static_cast<double>(e.accepted);
            t.series[0].values[2] += static_cast<double>(e.scheduled);
            t.series[0].values[3] += static_cast<double>(e.held);
        }
        out.tables.push_back(std::move(t));
    }
    // Without any contract, shares of nothing say nothing: those tables are left empty.
    if (out.contracts == 0)
        for (auto& t : out.tables)
            if (t.id == "titulaires-par-taille" || t.id == "economie-sociale" || t.id == "entreprises-innovantes") {
                t.rows.clear();
                t.raw.clear();
                t.chart_labels.clear();
                t.series.clear();
            }
    return out;
}

Result<ObservatoryChoices> ObservatoryService::choices() {
    ObservatoryChoices out;
    core::Status st = db_.with_connection([&](storage::Connection& c) -> core::Status {
        auto y = os::years(c);
        if (!y) return y.error();
        out.years = std::move(y.value());
        auto b = os::buyers(c, 300);
        if (!b) return b.error();
        for (const auto& k : b.value())
            if (auto id = core::parse_int(k.key)) out.buyers.emplace_back(*id, k.label);
        return {};
    });
    if (!st) return st.error();
    return out;
}

std::string ObservatoryService::csv(const ob::Table& t) {
    std::string out = kCsvBom;
    auto line = [&](const std::vector<std::string>& cells) {
        for (std::size_t i = 0; i < cells.size(); ++i) out += (i ? "," : "") + csv_field(cells[i]);
        out += "\r\n";
    };
    line(t.columns);
    for (const auto& r : t.raw) line(r);
    return out;
}

Result<std::string> ObservatoryService::xlsx(const std::vector<ob::Table>& tables) {
    std::vector<Sheet> sheets;
    for (const auto& t : tables) sheets.push_back({t.id, t.columns, t.raw});
    return xlsx_workbook(sheets);
}

std::string ObservatoryService::json(const ob::Table& t) {
    nlohmann::json rows = nlohmann::json::array();
    for (const auto& r : t.raw) {
        nlohmann::json row = nlohmann::json::object();
        for (std::size_t i = 0; i < r.size() && i < t.columns.size(); ++i) {
            double v = 0;
            const char* b = r[i].data();
            auto [p, ec] = std::from_chars(b, b + r[i].size(), v);
            const bool numeric = !r[i].empty() && ec == std::errc() && p == b + r[i].size() &&
                                 !(r[i].size() > 1 && r[i][0] == '0' && r[i][1] != '.');
            row[t.columns[i]] = numeric ? nlohmann::json(v) : nlohmann::json(r[i]);
        }
        rows.push_back(row);
    }
    return nlohmann::json{{"id", t.id}, {"title", t.title}, {"method", t.note}, {"columns", t.columns}, {"rows", rows}}
        .dump(2);
}

}  // namespace passerelle::app
