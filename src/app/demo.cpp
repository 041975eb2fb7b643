#include "app/demo.hpp"

#include <array>

#include "app/crypto.hpp"
#include "core/event.hpp"
#include "core/fold.hpp"
#include "core/french.hpp"
#include "core/notice.hpp"
#include "core/procurement.hpp"
#include "core/siret.hpp"
#include "storage/accounts_store.hpp"
#include "storage/clause_store.hpp"
#include "storage/contract_store.hpp"
#include "storage/event_store.hpp"
#include "storage/news_store.hpp"
#include "storage/notice_store.hpp"
#include "storage/org_store.hpp"
#include "storage/pitch_store.hpp"
#include "storage/reference_store.hpp"
#include "storage/roadmap_store.hpp"

namespace passerelle::app {

namespace orgs = storage::orgs;
namespace acc = storage::accounts;
using core::Error;
using core::Status;

namespace {

struct DemoBuyer {
    const char* name;
    const char* siret;
    const char* kind;
    const char* departement;
    const char* account;
    const char* person;
};

// Public buyers of Île-de-France. SIRETs as published in the DECP open data where found there (Région,
// Seine-Saint-Denis, Ville de Paris, Plaine Commune); for the others the published SIREN with an
// establishment number chosen to pass the Luhn check (demo data).
const DemoBuyer kBuyers[] = {
    {"Région Île-de-France", "23750007900312", "region", "75", "acheteur.region@passerelle.example", "Claire Martin"},
    {"Département de la Seine-Saint-Denis", "22930008201453", "departement", "93", "acheteur.93@passerelle.example",
     "Karim Benali"},
    {"Département des Hauts-de-Seine", "22920050600017", "departement", "92", "acheteur.92@passerelle.example",
     "Sophie Leroy"},
    {"Ville de Paris", "21750001600019", "commune", "75", "acheteur.paris@passerelle.example", "Julien Moreau"},
    {"Ville d'Alfortville", "21940002500017", "commune", "94", "acheteur.alfortville@passerelle.example",
     "Nadia Haddad"},
    {"UGAP", "18004003300011", "centrale", "77", "acheteur.ugap@passerelle.example", "Thomas Petit"},
    {"Plaine Commune", "20005786700018", "epci", "93", "acheteur.plainecommune@passerelle.example", "Aïcha Diallo"},
};

constexpr std::array<const char*, 20> kFirst = {
    "Atelier", "Bâti",    "Clair",  "Domaine", "Élan", "Forge",    "Graine", "Horizon", "Îlot",   "Jardin",
    "Kiosque", "Lumière", "Maison", "Nova",    "Onde", "Pavillon", "Quai",   "Rive",    "Sillon", "Trame"};
constexpr std::array<const char*, 10> kSecond = {"Vert",    "Urbain", "Solidaire",  "Numérique", "Services",
                                                 "Habitat", "Ouest",  "Francilien", "Conseil",   "Propreté"};
constexpr std::array<const char*, 8> kDeps = {"75", "77", "78", "91", "92", "93", "94", "95"};
// CPV divisions the companies declare (the demo ships only divisions).
constexpr std::array<const char*, 10> kSkills = {"45000000", "90000000", "72000000", "79000000", "55000000",
                                                 "77000000", "50000000", "80000000", "71000000", "30000000"};
constexpr std::array<const char*, 4> kSizes = {"TPE", "PME", "PME", "ETI"};
constexpr std::array<const char*, 5> kForms = {"SAS", "SARL", "SCOP", "association", "SA"};

char luhn_digit(const std::string& body) {
    for (char d = '0'; d <= '9'; ++d)
        if (core::luhn_valid(body + d)) return d;
    return '0';
}

constexpr int kCompanyCount = 40;

struct DemoRoadmapItem {
    int buyer;  // index in kBuyers
    const char* title;
    const char* description;
    const char* cpv;
    std::int64_t min, max;
    int quarters_ahead;
    const char* procedure;
    const char* departement;
    const char* clause;
};

struct DemoNotice {
    int buyer;
    const char* reference;
    const char* title;
    const char* description;
    int days_ahead;  // bid deadline, from now
    const char* procedure;
    struct Lot {
        const char* title;
        const char* cpv;
        std::int64_t amount;
        const char* departement;
        const char* clause;
        std::int64_t hours;
    };
    std::vector<Lot> lots;
};

// Open notices (demo data).
const std::vector<DemoNotice>& demo_notices() {
    static const std::vector<DemoNotice> v = {
        {0,
         "2026-DAJ-118",
         "Travaux de désamiantage et de réhabilitation du lycée Jean-Jaurès",
         "Désamiantage, curage et réhabilitation des bâtiments B et C.",
         35,
         "ao_ouvert",
         {{"Désamiantage", "45000000", 1200000, "93", "insertion_hours", 3500},
          {"Menuiseries extérieures", "45000000", 800000, "93", "reserved_siae", 0}}},
        {1,
         "2026-SAD-042",
         "Entretien des espaces verts des collèges",
         "Tonte, taille et entretien des abords de 20 collèges.",
         21,
         "mapa",
         {{"Entretien des espaces verts", "77000000", 250000, "93", "reserved_siae", 0}}},
        {3,
         "2026-DSIN-007",
         "Maintenance des copieurs des mairies d'arrondissement",
         "Maintenance préventive et curative de 600 copieurs.",
         28,
         "ao_ouvert",
         {{"Maintenance", "50000000", 450000, "75", "insertion_hours", 900}}},
    };
    return v;
}

// Planned purchases in the spirit of the buyers' published roadmaps (demo data).
const DemoRoadmapItem kRoadmap[] = {
    {0, "Nettoyage des lycées franciliens", "Entretien courant des locaux de 30 lycées, avec heures d'insertion.",
     "90000000", 2000000, 4000000, 1, "ao_ouvert", "75", "insertion"},
    {0, "Rénovation énergétique de lycées", "Isolation, menuiseries et ventilation de cinq lycées.", "45000000",
     8000000, 12000000, 3, "ao_ouvert", "93", "insertion"},
    {1, "Restauration scolaire des collèges", "Fourniture et livraison de repas pour 12 collèges.", "55000000", 1500000,
     2500000, 2, "ao_ouvert", "93", "reserved_ess"},
    {1, "Entretien des espaces verts départementaux", "Parcs et abords des bâtiments départementaux.", "77000000",
     300000, 600000, 1, "mapa", "93", "reserved_siae"},
    {3, "Maintenance du parc informatique des mairies d'arrondissement", "Postes de travail et imprimantes.",
     "72000000", 500000, 900000, 2, "ao_ouvert", "75", "none"},
    {6, "Collecte et valorisation des encombrants", "Collecte sur le territoire de Plaine Commune.", "90000000",
     1000000, 1800000, 4, "negociee", "93", "insertion"},
};

std::string company_slug(int i) {
    std::string s = std::string(kFirst[static_cast<std::size_t>(i) % kFirst.size()]) + "-" +
                    kSecond[static_cast<std::size_t>(i * 7 + i / 20) % kSecond.size()];
    std::string out;
    for (unsigned char c : s) {
        if (c < 0x80)
            out.push_back(static_cast<char>(std::tolower(c)));
        else if (c == 0xC3)
            continue;  // 'â', 'é', 'î': keep the base letter below
        else if (c == 0xA2)
            out.push_back('a');
        else if (c == 0xA9 || c == 0x89)
            out.push_back('e');
        else if (c == 0xAE || c == 0x8E)
            out.push_back('i');
        else if (c == 0xA8)
            out.push_back('e');
    }
    return out + "-" + std::to_string(i + 1);
}

// A morning event three weeks ahead: round table, pitches, then one-to-one meetings in six 20-minute slots;
// four buyers and twelve companies registered, each company with an accepted request and half of them with
// one more awaiting the buyer's answer (Atelier Vert asks Seine-Saint-Denis).
Result<std::int64_t> demo_event(storage::Connection& c, std::int64_t organiser,
                                const std::vector<std::pair<std::int64_t, std::int64_t>>& buyers,
                                const std::vector<std::pair<std::int64_t, std::int64_t>>& companies, std::int64_t now) {
    namespace ev = storage::events;
    const std::string day = core::format_iso_day_paris(now + 21 * 86400);
    auto at = [&](const char* hhmm) { return core::parse_paris_datetime(day + "T" + hhmm).value_or(now); };
    ev::EventRecord e;
    e.title = "Matinale des achats publics : travaux et services urbains";
    e.summary = "Table ronde, pitchs d'entreprises et rendez-vous d'affaires avec les acheteurs de la région.";
    e.description =
        "Les acheteurs publics d'Île-de-France présentent leurs projets d'achat des 18 prochains mois.\n"
        "Les entreprises retenues pitchent leurs solutions, puis chacun rencontre ses interlocuteurs lors de "
        "rendez-vous de 20 minutes planifiés à l'avance.";
    e.place = "Hôtel de région, Saint-Ouen";
    e.address = "2 rue Simone-Veil, 93400 Saint-Ouen-sur-Seine";
    e.starts_at = at("08:30");
    e.ends_at = at("12:30");
    e.requests_deadline = e.starts_at - 86400;
    e.capacity_buyers = 20;
    e.capacity_companies = 60;
    e.max_per_org = 2;
    e.created_by = organiser;
    e.sessions = {{"plenary", "Table ronde : la commande publique responsable", at("08:30"), at("09:15"), {}, {}},
                  {"pitch", "Pitchs d'entreprises", at("09:15"), at("10:00"), {}, {}},
                  {"networking", "Rendez-vous d'affaires", at("10:00"), at("12:00"), 20, 10}};
    e.questions = {{0, "Quels sujets souhaitez-vous aborder ?", false}};
    auto id = ev::insert_event(c, e, now);
    if (!id) return id.error();
    if (auto s = ev::set_event_status(c, id.value(), "published", now); !s) return s.error();
    const std::size_t nb = std::min<std::size_t>(4, buyers.size()), nc = std::min<std::size_t>(12, companies.size());
    auto enrol = [&](std::int64_t org, std::int64_t user, const char* role) -> Status {
        ev::RegistrationRecord r;
        r.event_id = id.value();
        r.org_id = org;
        r.user_id = user;
        r.role = role;
        r.status = "confirmed";
        r.checkin_code = random_code(8);
        return storage::to_status(ev::insert_registration(c, r, now));
    };
    for (std::size_t i = 0; i < nb; ++i)
        if (auto s = enrol(buyers[i].first, buyers[i].second, "buyer"); !s) return s.error();
    for (std::size_t i = 0; i < nc; ++i) {
        if (auto s = enrol(companies[i].first, companies[i].second, "company"); !s) return s.error();
        for (int k = 0; k < (i % 2 == 0 ? 2 : 1); ++k) {
            ev::RequestRecord q;
            q.event_id = id.value();
            q.company_org_id = companies[i].first;
            q.buyer_org_id = buyers[(k == 0 ? i + 1 : i) % nb].first;
            q.initiated_by = "company";
            q.message = k ? "Nous aimerions vous présenter nos références." : "";
            q.status = k ? "accepted" : "pending";
            q.created_by = companies[i].second;
            if (i % 2 == 1) q.status = "accepted";
            if (auto r = ev::insert_request(c, q, now); !r) return r.error();
        }
    }
    // Its call for pitches, open for two weeks, judged by the organiser and Seine-Saint-Denis; three
    // companies have applied already.
    namespace pt = storage::pitches;
    if (auto s = pt::save_call(c, {id.value(), 3, e.starts_at - 7 * 86400, false, std::nullopt}); !s) return s.error();
    if (auto s = pt::replace_criteria(
            c, id.value(),
            {{0, "Innovation", 3}, {0, "Pertinence pour les acheteurs publics", 2}, {0, "Impact social et local", 1}});
        !s)
        return s.error();
    if (auto s = pt::add_juror(c, id.value(), organiser); !s) return s.error();
    if (nb > 1)
        if (auto s = pt::add_juror(c, id.value(), buyers[1].second); !s) return s.error();
    const char* ideas[][2] = {
        {"Pavés drainants issus de déchets de chantier recyclés.", "Un liant bas carbone breveté."},
        {"Éclairage public piloté à la demande.", "Des capteurs de présence sans caméra."},
        {"Entretien d'espaces verts par des salariés en parcours d'insertion.", "Un suivi en ligne des heures."}};
    for (std::size_t i = 0; i < 3 && 2 + i < companies.size(); ++i) {
        pt::ApplicationRecord a;
        a.event_id = id.value();
        a.org_id = companies[2 + i].first;
        a.user_id = companies[2 + i].second;
        a.summary = ideas[i][0];
        a.innovation = ideas[i][1];
        if (auto r = pt::insert_application(c, a, now); !r) return r.error();
    }
    return id.value();
}

// Three news articles: the event's announcement (with its registration button), the social clauses'
// yearly results, and the open data of awarded contracts; published over the last weeks.
Status demo_news(storage::Connection& c, std::int64_t organiser, std::int64_t event_id, std::int64_t now) {
    namespace nw = storage::news;
    struct Item {
        const char* slug;
        const char* title;
        const char* summary;
        const char* body;
        std::vector<std::string> tags;
        bool with_event;
        std::int64_t age_days;
    };
    const std::vector<Item> items = {
        {"inscriptions-ouvertes-matinale-travaux-services-urbains",
         "Inscriptions ouvertes : matinale des travaux et services urbains",
         "Acheteurs et entreprises se retrouvent pour une table ronde, des pitchs et des rendez-vous d'affaires.",
         "Les acheteurs publics de la région présentent leurs **projets d'achat des 18 prochains mois**.\n\n"
         "## Au programme\n\n- une table ronde sur la commande publique responsable ;\n- les pitchs des "
         "entreprises retenues par le jury ;\n- des rendez-vous de 20 minutes, planifiés à l'avance selon les "
         "demandes acceptées.\n\nInscrivez-vous au nom de votre organisation, puis demandez vos rendez-vous "
         "depuis votre espace.",
         {"evenements", "rendez-vous-d-affaires"},
         true,
         2},
        {"clauses-sociales-bilan-annuel",
         "Clauses sociales : plus d'heures d'insertion dans les marchés de la région",
         "Les facilitateurs ont accompagné les acheteurs sur les marchés de travaux, de propreté et d'espaces "
         "verts.",
         "Une **clause sociale d'insertion** réserve une part des heures de travail d'un marché à des personnes "
         "éloignées de l'emploi.\n\nLes facilitateurs aident les acheteurs à choisir les marchés, à estimer les "
         "heures et à trouver les structures d'insertion (SIAE) du territoire. Les chiffres détaillés sont dans "
         "l'[Observatoire](/observatoire).",
         {"clauses-sociales", "siae"},
         false,
         12},
        {"donnees-essentielles-marches-attribues",
         "Les marchés attribués de la région en données ouvertes",
         "Les données essentielles de la commande publique (DECP) sont consultables et téléchargeables.",
         "Passerelle importe les **données essentielles de la commande publique** : qui a acheté quoi, à qui, "
         "pour quel montant.\n\nRetrouvez-les dans [Marchés attribués](/marches-attribues), avec des "
         "téléchargements CSV, et dans l'[Observatoire](/observatoire).",
         {"donnees-ouvertes"},
         false,
         25},
    };
    for (const auto& it : items) {
        nw::ArticleRecord a;
        a.slug = it.slug;
        a.title = it.title;
        a.summary = it.summary;
        a.body = it.body;
        a.tags = it.tags;
        a.published = true;
        a.publish_at = now - it.age_days * 86400;
        if (it.with_event) a.event_id = event_id;
        a.author_user_id = organiser;
        if (auto r = nw::insert(c, a, now - it.age_days * 86400); !r) return r.error();
    }
    return {};
}

// Two contracts of Seine-Saint-Denis held by the first company, with social clauses followed by the
// facilitator: insertion hours over a year (one declaration accepted, one waiting for review; behind the
// time elapsed) and a contract reserved to insertion structures.
Status demo_clauses(storage::Connection& c, std::int64_t facilitator,
                    const std::vector<std::pair<std::int64_t, std::int64_t>>& buyers,
                    const std::vector<std::pair<std::int64_t, std::int64_t>>& companies, std::int64_t now) {
    if (buyers.size() < 2 || companies.empty()) return {};
    namespace ct = storage::contracts;
    namespace cl = storage::clauses;
    const auto [buyer, buyer_user] = buyers[1];
    const auto [holder, holder_user] = companies[0];
    (void)buyer_user;
    auto day = [&](std::int64_t days_ago) { return core::format_iso_day_paris(now - days_ago * 86400); };
    struct Item {
        const char* key;
        const char* object;
        const char* cpv;
        double amount;
        std::int64_t notified_days_ago;
    };
    const Item items[] = {
        {"demo|93|espaces-verts", "Entretien des espaces verts des collèges", "77310000", 480000, 240},
        {"demo|93|nettoyage", "Nettoyage des locaux administratifs (marché réservé)", "90910000", 250000, 120}};
    std::vector<std::int64_t> ids;
    for (const auto& it : items) {
        ct::ContractRecord r;
        r.key = r.source_id = it.key;
        r.format = "platform";
        r.kind = "marche";
        r.buyer_org_id = buyer;
        r.buyer_identifier = "22930008201453";
        r.buyer_name = "Département de la Seine-Saint-Denis";
        r.nature = "Marché";
        r.object = it.object;
        r.cpv = it.cpv;
        r.procedure = "ouvert";
        r.procedure_text = "Appel d'offres ouvert";
        r.departement = "93";
        r.duration_months = 12;
        r.notified_on = day(it.notified_days_ago);
        r.published_on = day(it.notified_days_ago - 7);
        r.amount = it.amount;
        r.social_clause = true;
        r.content_hash = it.key;
        r.suppliers = {{holder, "", "SIRET", "Atelier Vert", ""}};
        auto id = ct::insert(c, r, now);
        if (!id) return id.error();
        ids.push_back(id.value());
    }
    cl::ClauseRecord hours;
    hours.contract_id = ids[0];
    hours.clause = {
        "insertion_hours", 1200, day(240),
        day(240 - 365),    "93", "Heures réalisées par des salariés en parcours d'insertion, avec l'appui d'une SIAE."};
    hours.facilitator_user_id = facilitator;
    auto clause = cl::insert_clause(c, hours, now);
    if (!clause) return clause.error();
    cl::ClauseRecord reserved;
    reserved.contract_id = ids[1];
    reserved.clause = {"reserved_siae", 0, "", "", "93", ""};
    reserved.facilitator_user_id = facilitator;
    if (auto r = cl::insert_clause(c, reserved, now); !r) return r.error();
    cl::DeclarationRecord d;
    d.clause_id = clause.value();
    d.declaration = {day(240), day(150), 300, "Atelier Vert (EI)", 4, {{"long_term_jobseekers", 2}, {"under_26", 1}},
                     1,        3};
    d.declared_by = holder_user;
    d.declared_for_org_id = holder;
    auto first = cl::insert_declaration(c, d, now - 140 * 86400);
    if (!first) return first.error();
    if (auto s = cl::review_declaration(c, first.value(), "accepted", "", facilitator, now - 135 * 86400); !s) return s;
    d.declaration = {day(149), day(60), 150, "Atelier Vert (EI)", 3, {{"rsa_recipients", 1}, {"over_50", 1}}, 1, 2};
    return storage::to_status(cl::insert_declaration(c, d, now - 50 * 86400));
}

}  // namespace

std::string synthetic_siret(int seed) {
    // SIREN: 8 digits from the seed plus a Luhn digit; NIC "0001" plus a Luhn digit over all 14.
    std::string base = std::to_string(81000000 + seed * 7919 % 9000000);
    std::string siren = base + luhn_digit(base);
    std::string body = siren + "0001";
    return body + luhn_digit(body);
}

std::vector<DemoAccount> DemoLoader::accounts() {
    std::vector<DemoAccount> out = {
        {"admin@passerelle.example", "administrateur de la plateforme"},
        {"organisatrice@passerelle.example", "organisatrice (GIP)"},
        {"facilitateur@passerelle.example", "facilitateur des clauses sociales"},
    };
    for (const auto& b : kBuyers) out.push_back({b.account, std::string("acheteur — ") + b.name});
    for (int i = 0; i < kCompanyCount; ++i) out.push_back({"contact@" + company_slug(i) + ".example", "entreprise"});
    return out;
}

Result<DemoResult> DemoLoader::load() {
    DemoResult result;
    result.password = kDemoPassword;
    result.second_factor_secret = kDemoTotpSecret;
    result.accounts = accounts();
    auto already = storage::fetch<std::optional<std::string>>(
        db_, [](storage::Connection& c) { return storage::reference::get_setting(c, "demo_loaded"); });
    if (!already) return already.error();
    if (already.value()) return result;

    // Reference data first (each import is its own transaction and idempotent).
    if (auto g = reference_.import_geo(geo_dir_, true); !g) return g.error();
    if (auto d = reference_.load_builtin_cpv_divisions(); !d) return d.error();

    auto hash = hash_password(kDemoPassword, hasher_);
    if (!hash) return Error::Unavailable("hachage du mot de passe impossible");
    const std::int64_t now = clock_.now();

    Status st = db_.transaction([&](storage::Connection& c) -> Status {
        auto add_user = [&](const std::string& email, const std::string& name) -> Result<std::int64_t> {
            auto id = acc::create_user(c, email, name, *hash, now);
            if (!id) return id.error();
            if (auto s = acc::mark_email_verified(c, id.value(), now); !s) return s.error();
            return id;
        };
        auto admin = add_user("admin@passerelle.example", "Camille Administratrice");
        if (!admin) return admin.error();
        if (auto s = acc::grant_role(c, admin.value(), "administrator", now); !s) return s;
        auto organiser = add_user("organisatrice@passerelle.example", "Inès Organisatrice");
        if (!organiser) return organiser.error();
        if (auto s = acc::grant_role(c, organiser.value(), "organiser", now); !s) return s;
        // Their roles require two-factor authentication: on from the start, with the published demo key.
        for (auto id : {admin.value(), organiser.value()})
            if (auto s = acc::enable_second_factor(c, id, kDemoTotpSecret, 0, now); !s) return s;
        auto facilitator = add_user("facilitateur@passerelle.example", "Marc Facilitateur");
        if (!facilitator) return facilitator.error();
        if (auto s = acc::grant_role(c, facilitator.value(), "facilitator", now); !s) return s;

        orgs::OrgRecord gip;
        gip.kind = "buyer";
        gip.siret = synthetic_siret(999);
        gip.name = "GIP Passerelle Île-de-France";
        gip.buyer_kind = "gip";
        gip.departement = "75";
        gip.description = "Groupement d'intérêt public qui anime la plateforme pour les acheteurs de la région.";
        gip.search_name = core::fold(gip.name);
        auto gip_id = orgs::insert_org(c, gip, now);
        if (!gip_id) return gip_id.error();
        if (auto s = orgs::upsert_membership(c, gip_id.value(), organiser.value(), "admin", "active", "", now); !s)
            return s;

        std::vector<std::pair<std::int64_t, std::int64_t>> buyer_people, company_people;  // (org, user)
        for (const auto& b : kBuyers) {
            orgs::OrgRecord o;
            o.kind = "buyer";
            o.siret = b.siret;
            o.name = b.name;
            o.buyer_kind = b.kind;
            o.departement = b.departement;
            o.search_name = core::fold(o.name);
            auto id = orgs::insert_org(c, o, now);
            if (!id) return id.error();
            auto user = add_user(b.account, b.person);
            if (!user) return user.error();
            if (auto s = orgs::upsert_membership(c, id.value(), user.value(), "admin", "active", "", now); !s) return s;
            buyer_people.emplace_back(id.value(), user.value());
        }

        for (int i = 0; i < kCompanyCount; ++i) {
            auto ui = static_cast<std::size_t>(i);
            orgs::OrgRecord o;
            o.kind = "company";
            o.siret = synthetic_siret(i);
            o.name = std::string(kFirst[ui % kFirst.size()]) + " " + kSecond[(ui * 7 + ui / 20) % kSecond.size()];
            if (i >= 20) o.name += " " + std::to_string(i - 19);
            o.size = kSizes[ui % kSizes.size()];
            o.legal_form = kForms[ui % kForms.size()];
            o.description = "Entreprise de démonstration (données synthétiques).";
            o.website = "https://" + company_slug(i) + ".example";
            if (i % 5 == 0)
                o.labels = {i % 10 == 0 ? "siae_ei" : "siae_aci", "ess"};
            else if (i % 11 == 0)
                o.labels = {"ea"};
            else if (i % 13 == 0)
                o.labels = {"esat"};
            else if (i % 3 == 0)
                o.labels = {"ess"};
            o.cpv_codes = {kSkills[ui % kSkills.size()]};
            if (i % 2 == 0) o.cpv_codes.push_back(kSkills[(ui + 3) % kSkills.size()]);
            std::sort(o.cpv_codes.begin(), o.cpv_codes.end());
            o.departements = {kDeps[ui % kDeps.size()]};
            if (i % 3 == 0) o.departements.push_back(kDeps[(ui + 2) % kDeps.size()]);
            std::sort(o.departements.begin(), o.departements.end());
            o.search_name = core::fold(o.name);
            auto id = orgs::insert_org(c, o, now);
            if (!id) return id.error();
            auto user = add_user("contact@" + company_slug(i) + ".example", "Contact " + o.name);
            if (!user) return user.error();
            if (auto s = orgs::upsert_membership(c, id.value(), user.value(), "admin", "active", "", now); !s) return s;
            company_people.emplace_back(id.value(), user.value());
        }
        // Roadmap items, published, for the first buyers.
        const core::Quarter current = core::quarter_of(now);
        for (const auto& item : kRoadmap) {
            auto org = orgs::find_org_by_siret(c, kBuyers[item.buyer].siret);
            if (!org) return org.error();
            core::Quarter q = current;
            for (int i = 0; i < item.quarters_ahead; ++i)
                q = q.q == 4 ? core::Quarter{q.year + 1, 1} : core::Quarter{q.year, q.q + 1};
            storage::roadmaps::ItemRecord r;
            r.org_id = org.value()->id;
            r.status = "published";
            r.title = item.title;
            r.description = item.description;
            r.search_text = core::fold(r.title + " " + r.description);
            r.amount_min = item.min;
            r.amount_max = item.max;
            r.quarter_year = q.year;
            r.quarter = q.q;
            r.procedure = item.procedure;
            r.clause_intent = item.clause;
            r.contact_name = kBuyers[item.buyer].person;
            r.contact_email = kBuyers[item.buyer].account;
            r.created_at = r.updated_at = now;
            r.published_at = now;
            r.cpv_codes = {item.cpv};
            r.departements = {item.departement};
            auto id = storage::roadmaps::insert_item(c, r);
            if (!id) return id.error();
            if (auto s = storage::roadmaps::add_history(c, id.value(), now, std::nullopt, "Projet d'achat publié"); !s)
                return s;
        }
        for (const auto& d : demo_notices()) {
            auto org = orgs::find_org_by_siret(c, kBuyers[d.buyer].siret);
            if (!org) return org.error();
            storage::notices::NoticeRecord n;
            n.org_id = org.value()->id;
            n.status = "published";
            n.reference = d.reference;
            n.title = d.title;
            n.description = d.description;
            n.search_text = core::fold(std::string(d.reference) + " " + d.title + " " + d.description);
            n.procedure = d.procedure;
            // Deadlines at noon Paris time (11:00 UTC in winter, close enough for demo data).
            n.bid_deadline = (now / 86400 + d.days_ahead) * 86400 + 11 * 3600;
            n.question_deadline = n.bid_deadline - 6 * 86400;
            n.created_at = n.updated_at = now;
            n.published_at = now;
            int number = 0;
            for (const auto& l : d.lots)
                n.lots.push_back({++number, l.title, l.cpv, l.amount, l.clause, l.hours, {l.departement}});
            auto id = storage::notices::insert_notice(c, n);
            if (!id) return id.error();
            if (auto s = storage::notices::add_history(c, id.value(), now, std::nullopt, "published",
                                                       "Consultation publiée");
                !s)
                return s;
        }
        auto event = demo_event(c, organiser.value(), buyer_people, company_people, now);
        if (!event) return event.error();
        if (auto s = demo_news(c, organiser.value(), event.value(), now); !s) return s;
        if (auto s = demo_clauses(c, facilitator.value(), buyer_people, company_people, now); !s) return s;
        return storage::reference::set_setting(c, "demo_loaded", std::to_string(now));
    });
    if (!st) return st.error();
    result.loaded_now = true;
    return result;
}

}  // namespace passerelle::app
