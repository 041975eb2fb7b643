#include "search/huge_pages.hpp"

#include <sys/mman.h>

#include <cstdint>

namespace passerelle::search::huge_pages {

namespace {
std::size_t rounded(std::size_t bytes) { return (bytes + kPage - 1) / kPage * kPage; }
}  // namespace

void* map(std::size_t bytes) {
    const std::size_t size = rounded(bytes);
    // Map one page more than needed, then give back what lies before the first aligned address and after
    // the end.
    void* raw = ::mmap(nullptr, size + kPage, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (raw == MAP_FAILED) throw std::bad_alloc();
    const auto start = reinterpret_cast<std::uintptr_t>(raw);
    const std::uintptr_t aligned = (start + kPage - 1) / kPage * kPage;
    if (aligned > start) ::munmap(raw, aligned - start);
    if (const std::uintptr_t tail = start + kPage - aligned; tail > 0)
        ::munmap(reinterpret_cast<void*>(aligned + size), tail);
    void* p = reinterpret_cast<void*>(aligned);
    ::madvise(p, size, MADV_HUGEPAGE);  // a hint: without transparent huge pages, ordinary pages
    return p;
}

void unmap(void* p, std::size_t bytes) { ::munmap(p, rounded(bytes)); }

}  // namespace passerelle::search::huge_pages
