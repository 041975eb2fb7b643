#pragma once

// An allocator for the percolator's large tables: an allocation of 2 MiB or more gets its own mapping,
// aligned on 2 MiB and marked for transparent huge pages (madvise), so that the random reads of a match
// are not TLB misses as well as cache misses; smaller ones go to operator new. Stateless: containers using
// it move and swap freely.

#include <cstddef>
#include <memory>
#include <new>

namespace passerelle::search {

namespace huge_pages {
constexpr std::size_t kPage = std::size_t{2} << 20;
// A mapping of at least `bytes` (a multiple of kPage), aligned on kPage; throws std::bad_alloc.
void* map(std::size_t bytes);
void unmap(void* p, std::size_t bytes);
}  // namespace huge_pages

template <class T>
struct HugePageAllocator {
    using value_type = T;
    HugePageAllocator() = default;
    template <class U>
    HugePageAllocator(const HugePageAllocator<U>&) noexcept {}

    T* allocate(std::size_t n) {
        const std::size_t bytes = n * sizeof(T);
        if (bytes >= huge_pages::kPage) return static_cast<T*>(huge_pages::map(bytes));
        return std::allocator<T>{}.allocate(n);
    }
    void deallocate(T* p, std::size_t n) noexcept {
        const std::size_t bytes = n * sizeof(T);
        if (bytes >= huge_pages::kPage)
            huge_pages::unmap(p, bytes);
        else
            std::allocator<T>{}.deallocate(p, n);
    }
    template <class U>
    bool operator==(const HugePageAllocator<U>&) const noexcept {
        return true;
    }
};

}  // namespace passerelle::search
