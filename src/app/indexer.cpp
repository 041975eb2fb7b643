#include "app/indexer.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>
#include <nlohmann/json.hpp>
#include <set>

#include "core/french.hpp"
#include "storage/contract_store.hpp"
#include "storage/external_notice_store.hpp"
#include "storage/notice_store.hpp"
#include "storage/org_store.hpp"
#include "storage/reference_store.hpp"
#include "storage/roadmap_store.hpp"
#include "storage/search_outbox_store.hpp"

namespace passerelle::app {

using storage::Connection;
using storage::fetch;

namespace {

// What the index records of the database it reflects (Xapian metadata).
constexpr const char* kDatabaseKey = "passerelle_database";
constexpr const char* kOutboxKey = "passerelle_outbox";

core::Status add_cpv_labels(Connection& c, search::IndexedDoc& d) {
    std::set<std::string> seen;
    for (const auto& code : d.cpv_codes) {
        if (!seen.insert(code).second) continue;
        auto cpv = storage::reference::find_cpv_or_ancestor(c, code);
        if (!cpv) return cpv.error();
        if (cpv.value()) d.cpv_labels.push_back(cpv.value()->label_fr);
    }
    return {};
}

}  // namespace

std::string entity_path(const std::string& kind, std::int64_t id) {
    const char* base = kind == "notice"     ? "/consultations/"
                       : kind == "roadmap"  ? "/feuilles-de-route/"
                       : kind == "contract" ? "/marches-attribues/"
                                            : "/consultations/externes/";
    return base + std::to_string(id);
}

std::string entity_label(const std::string& kind) {
    if (kind == "notice") return "Consultation";
    if (kind == "roadmap") return "Projet d'achat";
    if (kind == "contract") return "Marché attribué";
    return "Avis publié ailleurs";
}

std::int64_t day_start(const std::string& d) {
    auto c = core::parse_iso_day(d);
    return c ? core::from_utc(c->year, c->month, c->day) : 0;
}

std::int64_t contract_date(const storage::contracts::ContractRecord& r) {
    return day_start(r.notified_on.empty() ? r.published_on : r.notified_on);
}

std::string contract_title(const std::string& nature, const std::vector<std::string>& cpv_labels) {
    std::string lower = nature;
    if (!lower.empty() && lower[0] >= 'A' && lower[0] <= 'Z') lower[0] = static_cast<char>(lower[0] - 'A' + 'a');
    std::string t = nature.empty() ? "Marché" : "Marché de " + lower;
    if (!cpv_labels.empty()) t += " — " + cpv_labels.front();
    return t;
}

core::Result<std::optional<search::IndexedDoc>> Indexer::build(const std::string& kind, std::int64_t id) {
    return fetch<std::optional<search::IndexedDoc>>(
        db_, [&](Connection& c) -> core::Result<std::optional<search::IndexedDoc>> {
            search::IndexedDoc d;
            d.kind = kind;
            d.id = id;
            std::string contract_nature;
            if (kind == "notice") {
                auto n = storage::notices::find_notice(c, id);
                if (!n) return n.error();
                if (!n.value() || n.value()->status == "draft" || n.value()->withdrawn_at)
                    return std::optional<search::IndexedDoc>{};
                const auto& r = *n.value();
                d.title = r.title;
                d.body = r.reference + "\n" + r.description;
                d.buyer = r.org_name;
                d.buyer_id = r.org_id;
                d.procedure = r.procedure;
                d.status = r.status;
                d.deadline = r.bid_deadline;
                d.published_at = r.published_at.value_or(r.created_at);
                std::set<std::string> deps;
                for (const auto& l : r.lots) {
                    d.body += "\n" + l.title;
                    d.cpv_codes.push_back(l.cpv_code);
                    d.amount += l.estimated_amount;
                    deps.insert(l.departements.begin(), l.departements.end());
                    if (std::find(d.clauses.begin(), d.clauses.end(), l.clause_kind) == d.clauses.end())
                        d.clauses.push_back(l.clause_kind);
                }
                d.departements.assign(deps.begin(), deps.end());
            } else if (kind == "roadmap") {
                auto item = storage::roadmaps::find_item(c, id);
                if (!item) return item.error();
                if (!item.value() || item.value()->status == "draft" || item.value()->withdrawn_at)
                    return std::optional<search::IndexedDoc>{};
                const auto& r = *item.value();
                d.title = r.title;
                d.body = r.description + "\n" + r.lots;
                d.buyer = r.org_name;
                d.buyer_id = r.org_id;
                d.procedure = r.procedure;
                d.status = r.status;
                d.cpv_codes = r.cpv_codes;
                d.departements = r.departements;
                d.clauses = {r.clause_intent};
                d.amount = r.amount_max;
                d.published_at = r.published_at.value_or(r.created_at);
            } else if (kind == "contract") {
                auto found = storage::contracts::find(c, id);
                if (!found) return found.error();
                if (!found.value()) return std::optional<search::IndexedDoc>{};
                const auto& r = *found.value();
                d.title = r.object;
                contract_nature = r.nature;
                d.body = r.nature + "\n" + r.procedure_text;
                for (const auto& s : r.suppliers) d.body += "\n" + s.name;
                d.identifiers = {r.source_id, r.buyer_identifier};
                for (const auto& s : r.suppliers) d.identifiers.push_back(s.identifier);
                d.buyer = r.buyer_name;
                d.buyer_id = r.buyer_org_id.value_or(0);
                d.procedure = r.procedure;
                d.status = "awarded";
                if (!r.cpv.empty()) d.cpv_codes = {r.cpv};
                if (!r.departement.empty()) d.departements = {r.departement};
                if (r.social_clause) d.clauses = {"social_clause"};
                d.amount = r.amount ? static_cast<std::int64_t>(*r.amount) : 0;
                d.published_at = contract_date(r);
            } else if (kind == "external") {
                auto found = storage::external_notices::find(c, id);
                if (!found) return found.error();
                if (!found.value()) return std::optional<search::IndexedDoc>{};
                const auto& r = *found.value();
                d.title = r.title;
                d.body = r.description + "\n" + r.reference;
                auto lots = nlohmann::json::parse(r.lots_json, nullptr, false);
                if (lots.is_array())
                    for (const auto& l : lots) d.body += "\n" + l.value("title", "");
                d.identifiers = {r.source_id, r.buyer_identifier};
                d.buyer = r.buyer_name;
                d.buyer_id = r.buyer_org_id.value_or(0);
                d.procedure = r.procedure;
                d.cpv_codes = r.cpv_codes;
                d.departements = r.departements;
                if (!r.reservation.empty()) d.clauses = {r.reservation};
                d.deadline = r.bid_deadline.value_or(0);
                d.published_at = day_start(r.published_on);
                if (d.published_at == 0) d.published_at = r.imported_at;
                if (r.notice_type == "planning") {
                    d.kind_facet = "roadmap";
                    d.status = "published";
                } else if (r.notice_type == "award") {
                    d.kind_facet = "notice";
                    d.status = "awarded";
                } else {
                    d.kind_facet = "notice";
                    d.status = "published";  // like platform notices: the deadline filter tells open from past
                }
            } else if (kind == "company") {
                auto found = storage::orgs::find_org(c, id);
                if (!found) return found.error();
                if (!found.value() || found.value()->kind != "company" || found.value()->suspended_at)
                    return std::optional<search::IndexedDoc>{};
                const auto& o = *found.value();
                d.title = o.name;
                d.sort_name = o.name;
                d.body = o.description;
                d.identifiers = {o.siret, o.siret.substr(0, 9)};
                d.labels = o.labels;
                // Any kind of SIAE (ACI, EI, ETTI, AI) is also filed under « siae », for the directory's filter.
                if (std::any_of(o.labels.begin(), o.labels.end(),
                                [](const std::string& l) { return l.rfind("siae_", 0) == 0; }))
                    d.labels.emplace_back("siae");
                d.size = o.size;
                d.status = o.claimed ? "claimed" : "open_data";
                d.published_at = o.created_at;
                std::set<std::string> cpv(o.cpv_codes.begin(), o.cpv_codes.end());
                std::set<std::string> deps(o.departements.begin(), o.departements.end());
                if (!o.departement.empty()) deps.insert(o.departement);
                // Its references count as skills and places: what it won, and where.
                auto refs = storage::contracts::won_by(c, id, 50);
                if (!refs) return refs.error();
                for (const auto& r : refs.value()) {
                    if (!r.object.empty()) d.body += "\n" + r.object;
                    if (!r.cpv.empty() && cpv.size() < 30) cpv.insert(r.cpv);
                    if (!r.departement.empty()) deps.insert(r.departement);
                }
                d.cpv_codes.assign(cpv.begin(), cpv.end());
                d.departements.assign(deps.begin(), deps.end());
            } else {
                return core::Error::Invalid("unknown kind " + kind);
            }
            if (auto s = add_cpv_labels(c, d); !s) return s.error();
            if (kind == "contract" && d.title.empty())  // the tabular DECP has no object: name it by its CPV
                d.title = contract_title(contract_nature, d.cpv_labels);
            return std::optional<search::IndexedDoc>(std::move(d));
        });
}

core::Result<int> Indexer::apply_outbox(int limit) {
    auto changes = fetch<std::vector<storage::search_outbox::Change>>(
        db_, [&](Connection& c) { return storage::search_outbox::pending(c, limit); });
    if (!changes) return changes.error();
    if (changes->empty()) return 0;
    std::vector<search::IndexedDoc> published;
    std::set<std::pair<std::string, std::int64_t>> done;  // a company changes with each contract it wins
    for (const auto& ch : changes.value()) {
        if (!done.insert({ch.kind, ch.entity_id}).second) continue;
        auto doc = build(ch.kind, ch.entity_id);
        if (!doc) return doc.error();
        core::Status st = doc.value() ? index_.put(*doc.value()) : index_.remove(ch.kind, ch.entity_id);
        if (!st) return st.error();
        if (doc.value() && doc.value()->status == "published") published.push_back(std::move(*doc.value()));
    }
    // The index says which change it reflects, in the same commit as the documents.
    if (auto s = index_.set_metadata(kOutboxKey, std::to_string(changes->back().id)); !s) return s.error();
    if (auto s = index_.commit(); !s) return s.error();
    // Alerts after the index commit, before acknowledging: a crash in between raises them again (the
    // alert table keeps one row per search and document, so nobody gets a duplicate in the list).
    if (on_published_)
        for (const auto& doc : published)
            if (auto s = on_published_(doc); !s) return s.error();
    std::int64_t last = changes->back().id;
    core::Status ack = db_.transaction([&](Connection& c) { return storage::search_outbox::acknowledge(c, last); });
    if (!ack) return ack.error();
    return static_cast<int>(changes->size());
}

bool Indexer::needs_rebuild() {
    if (index_.size() == 0 || index_.format() != kFormat) return true;
    auto at =
        fetch<storage::search_outbox::Position>(db_, [](Connection& c) { return storage::search_outbox::position(c); });
    if (!at) return true;
    if (index_.metadata(kDatabaseKey) != at->database_id) return true;
    const std::string applied = index_.metadata(kOutboxKey);
    std::int64_t last = -1;
    if (std::from_chars(applied.data(), applied.data() + applied.size(), last).ec != std::errc()) return true;
    return last < at->acknowledged || last > at->newest;
}

core::Result<std::int64_t> Indexer::reindex_all() {
    // Changes that arrive during the rebuild stay in the outbox and are applied afterwards; those written before
    // it began are read by it, so the index reflects the outbox up to its newest change now.
    auto at =
        fetch<storage::search_outbox::Position>(db_, [](Connection& c) { return storage::search_outbox::position(c); });
    if (!at) return at.error();
    if (auto s = index_.clear(); !s) return s.error();
    std::int64_t count = 0;
    for (const std::string kind : {"notice", "roadmap", "contract", "external", "company"}) {
        std::int64_t after = 0;
        while (true) {
            auto ids = fetch<std::vector<std::int64_t>>(
                db_, [&](Connection& c) { return storage::search_outbox::public_ids(c, kind, after, 1000); });
            if (!ids) return ids.error();
            if (ids->empty()) break;
            for (auto id : ids.value()) {
                auto doc = build(kind, id);
                if (!doc) return doc.error();
                if (!doc.value()) continue;
                if (auto s = index_.put(*doc.value()); !s) return s.error();
                ++count;
            }
            after = ids->back();
            if (auto s = index_.commit(); !s) return s.error();
        }
    }
    if (auto s = index_.set_metadata(kDatabaseKey, at->database_id); !s) return s.error();
    if (auto s = index_.set_metadata(kOutboxKey, std::to_string(at->newest)); !s) return s.error();
    if (auto s = index_.commit(); !s) return s.error();
    if (auto s = index_.set_format(kFormat); !s) return s.error();
    // Written in a commit per thousand documents: compacted, it is about a third smaller and quicker to
    // search. Searching works either way: a failed compaction is only reported.
    if (auto s = index_.compact(); !s) spdlog::warn("search index: {}", s.error().message);
    return count;
}

void Indexer::start(int period_ms) {
    loop_.start(
        [this] {
            while (true) {
                auto n = apply_outbox();
                if (!n) {
                    spdlog::warn("search indexer: {}", n.error().message);
                    break;
                }
                if (n.value() < 500) break;
            }
        },
        std::chrono::milliseconds(period_ms));
}

}  // namespace passerelle::app
