#include "app/roadmaps.hpp"

#include "app/csv.hpp"
#include "app/organisations.hpp"
#include "core/fold.hpp"
#include "core/french.hpp"
#include "core/validation.hpp"
#include "storage/org_store.hpp"
#include "storage/search_outbox_store.hpp"

namespace passerelle::app {

namespace rm = storage::roadmaps;
using core::Error;
using storage::Connection;
using storage::fetch;

namespace {

const char* kNotFound = "Ce projet d'achat n'existe pas ou n'est pas publié.";

void apply(rm::ItemRecord& r, const core::RoadmapItemData& d) {
    r.title = d.title;
    r.search_text = core::fold(d.title + " " + d.description);
    r.description = d.description;
    r.amount_min = d.amount_min;
    r.amount_max = d.amount_max;
    r.quarter_year = d.quarter.year;
    r.quarter = d.quarter.q;
    r.procedure = d.procedure;
    r.lots = d.lots;
    r.clause_intent = d.clause_intent;
    r.innovation = d.innovation;
    r.contact_name = d.contact_name;
    r.contact_email = d.contact_email;
    r.cpv_codes = d.cpv_codes;
    r.departements = d.departements;
}

bool is_member(const core::Actor& a, std::int64_t org_id) { return a.membership(org_id) != nullptr; }

}  // namespace

core::RoadmapItemData roadmap_data_of(const rm::ItemRecord& r) {
    core::RoadmapItemData d;
    d.title = r.title;
    d.description = r.description;
    d.cpv_codes = r.cpv_codes;
    d.amount_min = r.amount_min;
    d.amount_max = r.amount_max;
    d.quarter = {r.quarter_year, r.quarter};
    d.procedure = r.procedure;
    d.departements = r.departements;
    d.lots = r.lots;
    d.clause_intent = r.clause_intent;
    d.innovation = r.innovation;
    d.contact_name = r.contact_name;
    d.contact_email = r.contact_email;
    return d;
}

Result<core::RoadmapItemData> RoadmapService::validate(const core::RoadmapItemInput& in) {
    auto data = core::validate_roadmap_item(in, clock_.now());
    core::FieldErrors fields;
    if (!data) fields = data.error().fields;
    if (!fields.count("cpv_codes")) {
        auto problem = reference_.check_cpv_codes(in.cpv_codes);
        if (!problem) return problem.error();
        if (!problem->empty()) fields["cpv_codes"] = *problem;
    }
    if (!fields.count("departements")) {
        auto unknown = reference_.first_unknown_departement(in.departements);
        if (!unknown) return unknown.error();
        if (!unknown->empty())
            fields["departements"] = "Le département " + *unknown + " n'est pas dans le référentiel géographique.";
    }
    // The reference checks come after the core's: the summary follows the form (templates/roadmap_form).
    fields.order_as({"title", "description", "cpv_codes", "amount_min", "amount_max", "quarter", "procedure",
                     "departements", "lots", "clause_intent", "contact_name", "contact_email"});
    if (!fields.empty()) return Error::Invalid("Le formulaire contient des erreurs.", std::move(fields));
    return data;
}

Status RoadmapService::authorise_item(const core::Actor& actor, const rm::ItemRecord& item) {
    return policy_status(actor, procurement_action(item.status), {item.org_id, core::OrgKind::kBuyer});
}

bool RoadmapService::can_edit(const core::Actor& actor, const rm::ItemRecord& item) const {
    return core::allowed(actor, procurement_action(item.status), {item.org_id, core::OrgKind::kBuyer});
}

Result<std::int64_t> RoadmapService::create(const core::Actor& actor, std::int64_t org_id,
                                            const core::RoadmapItemInput& in, bool publish_now) {
    auto org = fetch<std::optional<storage::orgs::OrgRecord>>(
        db_, [&](Connection& c) { return storage::orgs::find_org(c, org_id); });
    if (!org) return org.error();
    if (!org.value()) return Error::NotFound("Cette organisation n'existe pas.");
    auto kind = core::parse_org_kind(org.value()->kind);
    if (auto s = policy_status(actor, procurement_action(publish_now ? "published" : "draft"), {org_id, kind}); !s)
        return s.error();
    auto data = validate(in);
    if (!data) return data.error();
    const std::int64_t now = clock_.now();
    rm::ItemRecord r;
    r.org_id = org_id;
    r.status = publish_now ? "published" : "draft";
    apply(r, data.value());
    r.created_by = actor.user_id;
    r.created_at = now;
    r.updated_at = now;
    if (publish_now) r.published_at = now;
    std::int64_t id = 0;
    Status st = db_.transaction([&](Connection& c) -> Status {
        auto inserted = rm::insert_item(c, r);
        if (!inserted) return inserted.error();
        id = inserted.value();
        if (auto s = storage::search_outbox::enqueue(c, "roadmap", id, now); !s) return s;
        if (publish_now) return rm::add_history(c, id, now, actor.user_id, "Projet d'achat publié");
        return {};
    });
    if (!st) return st.error();
    return id;
}

Status RoadmapService::update(const core::Actor& actor, std::int64_t item_id, const core::RoadmapItemInput& in) {
    auto item = get(actor, item_id);
    if (!item) return item.error();
    if (auto s = authorise_item(actor, item.value()); !s) return s;
    if (item->status == "converted" || item->status == "abandoned")
        return Error::Conflict("Ce projet d'achat est clos : il ne peut plus être modifié.");
    auto data = validate(in);
    if (!data) return data.error();
    auto changes = core::roadmap_changes(roadmap_data_of(item.value()), data.value());
    if (changes.empty()) return {};
    rm::ItemRecord r = item.value();
    apply(r, data.value());
    r.updated_at = clock_.now();
    return db_.transaction([&](Connection& c) -> Status {
        if (auto s = rm::update_item(c, r); !s) return s;
        if (auto s = storage::search_outbox::enqueue(c, "roadmap", item_id, r.updated_at); !s) return s;
        if (item->status != "published") return {};  // drafts have no public history yet
        for (const auto& change : changes)
            if (auto s = rm::add_history(c, item_id, r.updated_at, actor.user_id, change); !s) return s;
        return {};
    });
}

Status RoadmapService::publish(const core::Actor& actor, std::int64_t item_id) {
    auto item = get(actor, item_id);
    if (!item) return item.error();
    if (auto s = authorise_item(actor, item.value()); !s) return s;
    if (!core::roadmap_transition_allowed(*core::parse_roadmap_status(item->status), core::RoadmapStatus::kPublished))
        return Error::Conflict("Seul un brouillon peut être publié.");
    if (auto s = policy_status(actor, core::Action::kPublishProcurement, {item->org_id, core::OrgKind::kBuyer}); !s)
        return s;
    return db_.transaction([&](Connection& c) -> Status {
        auto moved = rm::set_status(c, item_id, "draft", "published", clock_.now());
        if (!moved) return moved.error();
        if (!moved.value()) return Error::Conflict("Ce projet d'achat a été modifié entre-temps : rechargez la page.");
        if (auto s = storage::search_outbox::enqueue(c, "roadmap", item_id, clock_.now()); !s) return s;
        return rm::add_history(c, item_id, clock_.now(), actor.user_id, "Projet d'achat publié");
    });
}

Status RoadmapService::abandon(const core::Actor& actor, std::int64_t item_id, const std::string& reason) {
    auto item = get(actor, item_id);
    if (!item) return item.error();
    if (auto s = authorise_item(actor, item.value()); !s) return s;
    auto from = *core::parse_roadmap_status(item->status);
    if (!core::roadmap_transition_allowed(from, core::RoadmapStatus::kAbandoned))
        return Error::Conflict("Ce projet d'achat est déjà clos.");
    std::string why = core::trim(reason);
    if (core::utf8_length(why) > 500 || !core::is_clean_text(why))
        return Error::Invalid("Le formulaire contient des erreurs.",
                              {{"reason", "Le motif doit compter au plus 500 caractères."}});
    return db_.transaction([&](Connection& c) -> Status {
        auto moved = rm::set_status(c, item_id, item->status, "abandoned", clock_.now());
        if (!moved) return moved.error();
        if (!moved.value()) return Error::Conflict("Ce projet d'achat a été modifié entre-temps : rechargez la page.");
        if (auto s = storage::search_outbox::enqueue(c, "roadmap", item_id, clock_.now()); !s) return s;
        return rm::add_history(c, item_id, clock_.now(), actor.user_id,
                               why.empty() ? "Projet d'achat abandonné" : "Projet d'achat abandonné : " + why);
    });
}

Result<int> RoadmapService::publish_all(const core::Actor& actor, std::int64_t org_id) {
    if (auto s = policy_status(actor, core::Action::kPublishProcurement, {org_id, core::OrgKind::kBuyer}); !s)
        return s.error();
    int published = 0;
    Status st = db_.transaction([&](Connection& c) -> Status {
        rm::ItemFilter f;
        f.status = "draft";
        f.org_id = org_id;
        auto drafts = rm::list_items(c, f, 1000, 0);
        if (!drafts) return drafts.error();
        const std::int64_t now = clock_.now();
        const core::Quarter current = core::quarter_of(now);
        for (const auto& d : drafts.value()) {
            if (d.quarter_year * 4 + d.quarter - 1 < current.index()) continue;  // outdated drafts stay drafts
            auto moved = rm::set_status(c, d.id, "draft", "published", now);
            if (!moved) return moved.error();
            if (!moved.value()) continue;
            if (auto s = storage::search_outbox::enqueue(c, "roadmap", d.id, now); !s) return s;
            if (auto s = rm::add_history(c, d.id, now, actor.user_id, "Projet d'achat publié avec la feuille de route");
                !s)
                return s;
            ++published;
        }
        return {};
    });
    if (!st) return st.error();
    return published;
}

Result<rm::ItemRecord> RoadmapService::get(const core::Actor& actor, std::int64_t item_id) {
    auto item = fetch<std::optional<rm::ItemRecord>>(db_, [&](Connection& c) { return rm::find_item(c, item_id); });
    if (!item) return item.error();
    if (!item.value()) return Error::NotFound(kNotFound);
    const bool insider = is_member(actor, item.value()->org_id) || actor.has_role(core::PlatformRole::kAdministrator);
    if (item.value()->status == "draft" && !insider) return Error::NotFound(kNotFound);
    if (item.value()->withdrawn_at && !insider)
        return Error::Gone("Ce projet d'achat a été retiré par l'équipe de Passerelle : il n'est plus consultable.");
    return std::move(*item.value());
}

Result<std::vector<rm::HistoryRecord>> RoadmapService::history(const core::Actor& actor, std::int64_t item_id) {
    auto item = get(actor, item_id);
    if (!item) return item.error();
    return fetch<std::vector<rm::HistoryRecord>>(db_, [&](Connection& c) { return rm::history(c, item_id); });
}

Result<RoadmapPage> RoadmapService::list_public(rm::ItemFilter filter, const core::Page& page) {
    if (filter.status != "converted" && filter.status != "abandoned") filter.status = "published";
    filter.text = core::fold(filter.text);
    return fetch<RoadmapPage>(db_, [&](Connection& c) -> Result<RoadmapPage> {
        RoadmapPage out;
        auto total = rm::count_items(c, filter);
        if (!total) return total.error();
        out.total = total.value();
        auto items = rm::list_items(c, filter, page.per_page, page.offset());
        if (!items) return items.error();
        out.items = std::move(items.value());
        return out;
    });
}

Result<RoadmapPage> RoadmapService::list_mine(const core::Actor& actor, const core::Page& page) {
    rm::ItemFilter f;
    f.include_withdrawn = true;
    for (const auto& m : actor.memberships)
        if (m.org_kind == core::OrgKind::kBuyer) f.org_ids.push_back(m.org_id);
    if (f.org_ids.empty()) return RoadmapPage{};
    return fetch<RoadmapPage>(db_, [&](Connection& c) -> Result<RoadmapPage> {
        RoadmapPage out;
        auto total = rm::count_items(c, f);
        if (!total) return total.error();
        out.total = total.value();
        auto items = rm::list_items(c, f, page.per_page, page.offset());
        if (!items) return items.error();
        out.items = std::move(items.value());
        return out;
    });
}

Status RoadmapService::express_interest(const core::Actor& actor, std::int64_t item_id, std::int64_t company_id,
                                        const std::string& message) {
    if (actor.anonymous()) return Error::Unauthenticated("Connectez-vous pour signaler votre intérêt.");
    const auto* m = actor.membership(company_id);
    if (!m || m->org_kind != core::OrgKind::kCompany)
        return Error::Forbidden("Seuls les membres d'une entreprise peuvent signaler leur intérêt pour elle.");
    auto item = get(actor, item_id);
    if (!item) return item.error();
    if (item->status != "published")
        return Error::Conflict("Ce projet d'achat n'est plus ouvert aux marques d'intérêt.");
    std::string text = core::trim(message);
    if (core::utf8_length(text) > 1000 || !core::is_clean_text(text))
        return Error::Invalid("Le formulaire contient des erreurs.",
                              {{"message", "Le message doit compter au plus 1 000 caractères."}});
    return db_.with_connection(
        [&](Connection& c) { return rm::upsert_interest(c, item_id, company_id, *actor.user_id, text, clock_.now()); });
}

Status RoadmapService::withdraw_interest(const core::Actor& actor, std::int64_t item_id, std::int64_t company_id) {
    const auto* m = actor.membership(company_id);
    if (!m || m->org_kind != core::OrgKind::kCompany)
        return Error::Forbidden("Seuls les membres de l'entreprise peuvent retirer son intérêt.");
    auto removed = fetch<bool>(db_, [&](Connection& c) { return rm::delete_interest(c, item_id, company_id); });
    if (!removed) return removed.error();
    if (!removed.value()) return Error::NotFound("Aucune marque d'intérêt à retirer.");
    return {};
}

Result<std::vector<std::int64_t>> RoadmapService::my_interests(const core::Actor& actor, std::int64_t item_id) {
    std::vector<std::int64_t> companies;
    for (const auto& m : actor.memberships)
        if (m.org_kind == core::OrgKind::kCompany) companies.push_back(m.org_id);
    if (companies.empty()) return companies;
    return fetch<std::vector<std::int64_t>>(
        db_, [&](Connection& c) { return rm::interested_orgs_among(c, item_id, companies); });
}

Result<std::vector<rm::InterestRecord>> RoadmapService::interested(const core::Actor& actor, std::int64_t item_id) {
    auto item = get(actor, item_id);
    if (!item) return item.error();
    if (!actor.has_role(core::PlatformRole::kAdministrator)) {
        if (!core::allowed(actor, core::Action::kPrepareProcurement, {item->org_id, core::OrgKind::kBuyer}))
            return Error::Forbidden("La liste des entreprises intéressées est réservée à l'acheteur.");
        if (auto s = policy_status(actor, core::Action::kReadCompanyContacts, {item->org_id, core::OrgKind::kBuyer});
            !s)
            return s.error();
    }
    return fetch<std::vector<rm::InterestRecord>>(db_, [&](Connection& c) { return rm::interests(c, item_id); });
}

Result<std::string> RoadmapService::interested_csv(const core::Actor& actor, std::int64_t item_id) {
    auto list = interested(actor, item_id);
    if (!list) return list.error();
    auto join = [](const std::vector<std::string>& v) {
        std::string out;
        for (const auto& s : v) out += (out.empty() ? "" : " ") + s;
        return out;
    };
    std::string csv = kCsvBom;
    csv += "siret,entreprise,taille,labels,codes_cpv,departements,site_web,contact,email,message,date\r\n";
    for (const auto& i : list.value()) {
        for (const auto& f : {i.siret, i.org_name, i.size, join(i.labels), join(i.cpv_codes), join(i.departements),
                              i.website, i.user_name, i.user_email, i.message, core::format_iso8601_utc(i.created_at)})
            csv += csv_field(f) + ",";
        csv.back() = '\r';
        csv += "\n";
    }
    return csv;
}

}  // namespace passerelle::app
