#include "http/client_address.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>

namespace passerelle::http {

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

// An address as 16 bytes (IPv4 mapped into IPv6); nullopt when it is not one.
std::optional<std::array<std::uint8_t, 16>> parse_ip(std::string_view text) {
    std::string s(trim(text));
    std::array<std::uint8_t, 16> out{};
    in_addr v4{};
    if (inet_pton(AF_INET, s.c_str(), &v4) == 1) {
        out[10] = out[11] = 0xFF;
        std::copy_n(reinterpret_cast<const std::uint8_t*>(&v4), 4, out.begin() + 12);
        return out;
    }
    in6_addr v6{};
    if (inet_pton(AF_INET6, s.c_str(), &v6) == 1) {
        std::copy_n(reinterpret_cast<const std::uint8_t*>(&v6), 16, out.begin());
        return out;
    }
    return std::nullopt;
}

bool is_v4_mapped(const std::array<std::uint8_t, 16>& a) {
    return std::all_of(a.begin(), a.begin() + 10, [](std::uint8_t b) { return b == 0; }) && a[10] == 0xFF &&
           a[11] == 0xFF;
}

bool trusted_address(std::string_view address, const std::vector<Cidr>& trusted) {
    return std::any_of(trusted.begin(), trusted.end(), [&](const Cidr& c) { return contains(c, address); });
}

// The node of one Forwarded element's for= parameter: for=192.0.2.43, for="[2001:db8::1]:4711", for=unknown.
std::string forwarded_for(std::string_view element) {
    std::size_t pos = 0;
    while (pos < element.size()) {
        std::size_t end = element.find(';', pos);
        if (end == std::string_view::npos) end = element.size();
        std::string_view pair = trim(element.substr(pos, end - pos));
        if (pair.size() > 4 &&
            (pair.substr(0, 4) == "for=" || pair.substr(0, 4) == "For=" || pair.substr(0, 4) == "FOR=")) {
            std::string_view v = pair.substr(4);
            if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
            if (!v.empty() && v.front() == '[') {  // [IPv6]:port
                auto close = v.find(']');
                return std::string(close == std::string_view::npos ? v.substr(1) : v.substr(1, close - 1));
            }
            if (auto colon = v.find(':');
                colon != std::string_view::npos && v.find(':', colon + 1) == std::string_view::npos)
                v = v.substr(0, colon);  // IPv4:port
            return std::string(v);
        }
        pos = end + 1;
    }
    return "";
}

std::vector<std::string> split_list(std::string_view s) {
    std::vector<std::string> out;
    std::size_t pos = 0;
    while (pos <= s.size()) {
        std::size_t end = s.find(',', pos);
        if (end == std::string_view::npos) end = s.size();
        out.emplace_back(trim(s.substr(pos, end - pos)));
        pos = end + 1;
    }
    return out;
}

}  // namespace

std::optional<Cidr> parse_cidr(std::string_view text) {
    text = trim(text);
    auto slash = text.find('/');
    auto ip = parse_ip(text.substr(0, slash));
    if (!ip) return std::nullopt;
    Cidr c;
    c.bytes = *ip;
    const bool v4 = is_v4_mapped(*ip) && text.substr(0, slash).find(':') == std::string_view::npos;
    c.prefix = 128;
    if (slash != std::string_view::npos) {
        int bits = -1;
        auto rest = text.substr(slash + 1);
        auto [p, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), bits);
        if (ec != std::errc() || p != rest.data() + rest.size() || bits < 0 || bits > (v4 ? 32 : 128))
            return std::nullopt;
        c.prefix = v4 ? 96 + bits : bits;
    }
    return c;
}

bool contains(const Cidr& net, std::string_view address) {
    auto ip = parse_ip(address);
    if (!ip) return false;
    int bits = net.prefix;
    for (std::size_t i = 0; i < 16 && bits > 0; ++i, bits -= 8) {
        const std::uint8_t mask = bits >= 8 ? 0xFF : static_cast<std::uint8_t>(0xFF << (8 - bits));
        if (((*ip)[i] & mask) != (net.bytes[i] & mask)) return false;
    }
    return true;
}

std::string client_address(std::string_view peer, std::string_view forwarded, std::string_view x_forwarded_for,
                           const std::vector<Cidr>& trusted) {
    if (trusted.empty() || !trusted_address(peer, trusted)) return std::string(peer);
    std::vector<std::string> hops;
    if (!trim(forwarded).empty()) {
        for (const auto& element : split_list(forwarded)) hops.push_back(forwarded_for(element));
    } else {
        hops = split_list(x_forwarded_for);
    }
    // From the nearest hop back: the first one that is not a trusted proxy is the client.
    for (auto it = hops.rbegin(); it != hops.rend(); ++it) {
        if (it->empty() || !parse_ip(*it)) return std::string(peer);  // unreadable: believe no further
        if (!trusted_address(*it, trusted)) return *it;
    }
    return hops.empty() ? std::string(peer) : hops.front();
}

}  // namespace passerelle::http
