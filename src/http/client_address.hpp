// The client's address behind reverse proxies. Only a peer the operator declared as a trusted proxy
// (`serve --trusted-proxy CIDR…`) is believed about who it forwards for: then the client is the right-most
// address of Forwarded (for=) or X-Forwarded-For that is not itself a trusted proxy — the left-most entries
// are whatever the client wrote. Without trusted proxies the headers are ignored and the peer is the client.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace passerelle::http {

// An IPv4 or IPv6 network: "10.0.0.0/8", "fd00::/8", or one address ("127.0.0.1", "::1").
struct Cidr {
    std::array<std::uint8_t, 16> bytes{};  // IPv4 as IPv4-mapped IPv6
    int prefix = 128;
};
std::optional<Cidr> parse_cidr(std::string_view text);
bool contains(const Cidr& net, std::string_view address);

std::string client_address(std::string_view peer, std::string_view forwarded, std::string_view x_forwarded_for,
                           const std::vector<Cidr>& trusted);

}  // namespace passerelle::http
