#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "search/huge_pages.hpp"

namespace passerelle::search {

// A hash table over 64-bit keys that are already well mixed hashes (0 marks an empty cell: keys are never
// 0), by open addressing with linear probing, at most half full. The percolator's tables (words, keys,
// a document's stems, the token cache) are read far more often than written, with lookups issued in
// batches: prefetch() lets the memory fetch a batch's cells in parallel before they are read.
template <class V>
class FlatMap {
  public:
    const V* find(std::uint64_t key) const {
        if (cells_.empty()) return nullptr;
        const std::size_t mask = cells_.size() - 1;
        for (std::size_t i = first_cell(key);; i = (i + 1) & mask) {
            if (cells_[i].key == key) return &cells_[i].value;
            if (cells_[i].key == 0) return nullptr;
        }
    }
    void prefetch(std::uint64_t key) const {
        if (!cells_.empty()) __builtin_prefetch(&cells_[first_cell(key)]);
    }
    // The key's value, value-initialised if the key is new.
    V& at(std::uint64_t key) {
        if ((used_ + 1) * 2 > cells_.size()) grow();
        const std::size_t mask = cells_.size() - 1;
        std::size_t i = first_cell(key);
        while (cells_[i].key != key && cells_[i].key != 0) i = (i + 1) & mask;
        if (cells_[i].key == 0) {
            cells_[i].key = key;
            ++used_;
        }
        return cells_[i].value;
    }
    std::size_t size() const { return used_; }
    // Empties the table, keeping its cells.
    void clear() {
        std::fill(cells_.begin(), cells_.end(), Cell{});
        used_ = 0;
    }

  private:
    struct Cell {
        std::uint64_t key = 0;
        V value{};
    };
    std::size_t first_cell(std::uint64_t key) const {
        return static_cast<std::size_t>((key * 0x9E3779B97F4A7C15ULL) >> 17) & (cells_.size() - 1);
    }
    void grow() {
        Cells old(std::max<std::size_t>(64, cells_.size() * 2));
        old.swap(cells_);
        used_ = 0;
        for (auto& c : old)
            if (c.key != 0) at(c.key) = std::move(c.value);
    }
    using Cells = std::vector<Cell, HugePageAllocator<Cell>>;  // a large table on huge pages
    Cells cells_;
    std::size_t used_ = 0;
};

}  // namespace passerelle::search
