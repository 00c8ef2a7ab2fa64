//! The wasm's memory allocator: every block is a power of two from 16 bytes up, each size keeps a
//! list of the blocks freed at that size, and a new block comes off the top of memory (grown a
//! page at a time).
//!
//! Why not the standard one: the toolchain's default for wasm32 (dlmalloc, which splits and joins
//! blocks of any size) was about 3,000 bytes of the release's gzip; this one is a few hundred
//! bytes of code, and every call takes the same few steps. What it costs is room: a block is up
//! to twice what was asked for, and a freed block serves only its own size again. The page makes
//! the same sizes again on every run, so that stays small: measured as the wasm's memory after
//! each scene opens and is played to its end three times, the article's scenes take 1.0 to 1.2
//! times what dlmalloc took (1.3 to 4.1 MB), and the heaviest setup tried, the workers scene with
//! 20,000 students, 20 MB instead of 11.
//!
//! The wasm target the page builds for has one thread (no `atomics`), so the allocator is never
//! entered twice at once; with threads this module is left out and the default allocator stays.

use std::alloc::{GlobalAlloc, Layout};
use std::arch::wasm32;
use std::cell::UnsafeCell;
use std::ptr;

const PAGE: usize = 65_536;
/// The smallest block, and the alignment of every block: a block's address is the top of memory
/// (page-aligned) plus blocks whose sizes are all multiples of it.
const MIN: usize = 16;

struct Heap {
    /// Per size (`1 << k`), the last block freed at it; each free block holds the one before it.
    free: [*mut u8; usize::BITS as usize],
    /// Where the next new block starts, and where the memory grown so far ends.
    next: usize,
    end: usize,
}

impl Heap {
    /// Makes room for `size` more bytes at `next`, growing the memory if need be: false if it
    /// cannot grow.
    fn room(&mut self, size: usize) -> bool {
        while self.end - self.next < size {
            let pages = (size - (self.end - self.next)).div_ceil(PAGE);
            let old = wasm32::memory_grow::<0>(pages);
            if old == usize::MAX {
                return false;
            }
            // The first time (or if anything else grew the memory), blocks start at the new top.
            if old * PAGE != self.end {
                self.next = old * PAGE;
            }
            self.end = (old + pages) * PAGE;
        }
        true
    }
}

pub struct Blocks(UnsafeCell<Heap>);

// One thread (see above): nothing shares the heap.
unsafe impl Sync for Blocks {}

#[global_allocator]
static HEAP: Blocks = Blocks(UnsafeCell::new(Heap {
    free: [ptr::null_mut(); usize::BITS as usize],
    next: 0,
    end: 0,
}));

/// The size class (`k` for blocks of `1 << k` bytes) that holds `layout`, if any: none for an
/// alignment above `MIN`, which nothing in the app asks for, so such a request fails cleanly.
fn class(layout: Layout) -> Option<usize> {
    if layout.align() > MIN {
        return None;
    }
    let size = layout.size().max(MIN).checked_next_power_of_two()?;
    Some(size.trailing_zeros() as usize)
}

unsafe impl GlobalAlloc for Blocks {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let Some(k) = class(layout) else {
            return ptr::null_mut();
        };
        // SAFETY: one thread, and no call below comes back into the allocator.
        let heap = unsafe { &mut *self.0.get() };
        let head = heap.free[k];
        if !head.is_null() {
            // SAFETY: a free block's first word holds the block freed before it (`dealloc`).
            heap.free[k] = unsafe { *head.cast::<*mut u8>() };
            return head;
        }
        let size = 1 << k;
        if !heap.room(size) {
            return ptr::null_mut();
        }
        let block = heap.next;
        heap.next += size;
        block as *mut u8
    }

    unsafe fn dealloc(&self, block: *mut u8, layout: Layout) {
        // `layout` is the one the block was made with, so its class is the block's size.
        if let Some(k) = class(layout) {
            // SAFETY: as in `alloc`; the block is at least `MIN` bytes, room for one pointer.
            let heap = unsafe { &mut *self.0.get() };
            unsafe { *block.cast::<*mut u8>() = heap.free[k] };
            heap.free[k] = block;
        }
    }

    unsafe fn realloc(&self, block: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller keeps `new_size`, rounded up to the alignment, within `isize::MAX`.
        let new = unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
        // A vector that grows within its block's size stays where it is.
        if class(new) == class(layout) {
            return block;
        }
        let moved = unsafe { self.alloc(new) };
        if !moved.is_null() {
            unsafe {
                ptr::copy_nonoverlapping(block, moved, layout.size().min(new_size));
                self.dealloc(block, layout);
            }
        }
        moved
    }
}
