#include "web/templates.hpp"

#include <fstream>
#include <kainjow/mustache.hpp>
#include <sstream>
#include <stdexcept>

namespace passerelle::web {

namespace mstch = kainjow::mustache;

namespace {

mstch::data to_data(const nlohmann::json& j) {
    switch (j.type()) {
        case nlohmann::json::value_t::object: {
            mstch::data d{mstch::data::type::object};
            for (auto it = j.begin(); it != j.end(); ++it) d.set(it.key(), to_data(it.value()));
            return d;
        }
        case nlohmann::json::value_t::array: {
            mstch::data d{mstch::data::type::list};
            for (const auto& v : j) d.push_back(to_data(v));
            return d;
        }
        case nlohmann::json::value_t::string: {
            // kainjow treats "" as true in sections; we want {{#field}} to mean "field is set". A false
            // value renders as nothing in {{field}}, like the empty string it replaces.
            const auto& s = j.get_ref<const std::string&>();
            return s.empty() ? mstch::data{false} : mstch::data{s};
        }
        case nlohmann::json::value_t::boolean:
            return mstch::data{j.get<bool>()};
        case nlohmann::json::value_t::number_integer:
        case nlohmann::json::value_t::number_unsigned:
            return mstch::data{std::to_string(j.get<long long>())};
        case nlohmann::json::value_t::number_float:
            return mstch::data{j.dump()};
        default:
            return mstch::data{false};
    }
}

}  // namespace

core::Result<std::unique_ptr<TemplateEngine>> TemplateEngine::load(const std::filesystem::path& dir) {
    auto engine = std::make_unique<TemplateEngine>();
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec))
        return core::Error::Internal("templates folder not found: " + dir.string());
    for (const auto& e : std::filesystem::directory_iterator(dir)) {
        if (e.path().extension() != ".mustache") continue;
        std::ifstream in(e.path());
        std::stringstream ss;
        ss << in.rdbuf();
        std::string text = ss.str();
        mstch::mustache check{text};
        if (!check.is_valid())
            return core::Error::Internal("template " + e.path().filename().string() + ": " + check.error_message());
        engine->sources_[e.path().stem().string()] = std::move(text);
    }
    return engine;
}

std::string TemplateEngine::render(const std::string& name, const nlohmann::json& view) const {
    thread_local std::map<const TemplateEngine*, std::map<std::string, std::unique_ptr<mstch::mustache>>> compiled;
    auto& mine = compiled[this];
    auto it = mine.find(name);
    if (it == mine.end()) {
        auto src = sources_.find(name);
        if (src == sources_.end()) throw std::runtime_error("unknown template " + name);
        it = mine.emplace(name, std::make_unique<mstch::mustache>(src->second)).first;
    }
    mstch::data data = to_data(view);
    for (const auto& [n, text] : sources_)
        if (!n.empty() && n[0] == '_') {
            const std::string* t = &text;
            data.set(n, mstch::partial([t] { return *t; }));
        }
    std::string out = it->second->render(data);
    if (!it->second->is_valid()) throw std::runtime_error("template " + name + ": " + it->second->error_message());
    return out;
}

}  // namespace passerelle::web
