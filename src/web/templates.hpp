// TemplateEngine: loads every templates/*.mustache at start-up (kainjow mustache, HTML-escaping by
// default) and renders a view model given as JSON (an empty string counts as false in {{#sections}}). Pages are
// rendered into the layout template. Templates starting with '_' are partials. Each worker thread compiles its own copy
// once (kainjow's render is not safe to share across threads). A template that fails to parse fails start-up, not a
// request.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "core/result.hpp"

namespace passerelle::web {

class TemplateEngine {
  public:
    static core::Result<std::unique_ptr<TemplateEngine>> load(const std::filesystem::path& dir);

    // Renders template `name` (without extension) with `view`; throws std::runtime_error on an unknown name.
    std::string render(const std::string& name, const nlohmann::json& view) const;
    bool has(const std::string& name) const { return sources_.count(name) > 0; }

  private:
    std::map<std::string, std::string> sources_;
};

}  // namespace passerelle::web
