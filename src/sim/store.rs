//! The core's two stores whose misuse panics from one place: [`Table`], a vector the simulation
//! indexes by its own numbers (a student, a worker, a request's slot, an instruction), and
//! [`Shared`], a cell the executor and a request's future both reach.
//!
//! Why: `v[i]` on a `Vec` and `RefCell::borrow_mut` hand their panic the source location of the
//! line that called them, so each of the core's few hundred indexings and borrows carried a
//! location of its own in the wasm's data and its arguments in the code (these two types took
//! about 1,000 bytes off the release's gzip). Either panic is a bug in the core wherever it
//! happens; its message says which kind, and a native test's backtrace says where.

use std::cell::{Ref, RefCell, RefMut};
use std::ops::{Deref, DerefMut, Index, IndexMut};
use std::slice::SliceIndex;

/// A `Vec<T>` whose `table[i]` (or a range of it) panics from [`outside`] alone. Everything
/// else is the vector's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Table<T>(pub Vec<T>);

impl<T> Default for Table<T> {
    fn default() -> Self {
        Table(Vec::new())
    }
}

impl<T> Deref for Table<T> {
    type Target = Vec<T>;
    fn deref(&self) -> &Vec<T> {
        &self.0
    }
}

impl<T> DerefMut for Table<T> {
    fn deref_mut(&mut self) -> &mut Vec<T> {
        &mut self.0
    }
}

impl<T, I: SliceIndex<[T]>> Index<I> for Table<T> {
    type Output = I::Output;
    #[inline(always)]
    fn index(&self, i: I) -> &I::Output {
        match self.0.get(i) {
            Some(v) => v,
            None => outside(),
        }
    }
}

impl<T, I: SliceIndex<[T]>> IndexMut<I> for Table<T> {
    #[inline(always)]
    fn index_mut(&mut self, i: I) -> &mut I::Output {
        match self.0.get_mut(i) {
            Some(v) => v,
            None => outside(),
        }
    }
}

impl<T> FromIterator<T> for Table<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        Table(iter.into_iter().collect())
    }
}

impl<T> From<Vec<T>> for Table<T> {
    fn from(v: Vec<T>) -> Self {
        Table(v)
    }
}

impl<'a, T> IntoIterator for &'a Table<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl<'a, T> IntoIterator for &'a mut Table<T> {
    type Item = &'a mut T;
    type IntoIter = std::slice::IterMut<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter_mut()
    }
}

/// A `RefCell<T>` whose borrow while mutably borrowed (or mutable borrow while borrowed) panics
/// from [`busy`] alone.
#[derive(Debug, Default)]
pub struct Shared<T>(RefCell<T>);

impl<T> Shared<T> {
    pub fn new(value: T) -> Self {
        Shared(RefCell::new(value))
    }

    #[inline(always)]
    pub fn borrow(&self) -> Ref<'_, T> {
        match self.0.try_borrow() {
            Ok(v) => v,
            Err(_) => busy(),
        }
    }

    #[inline(always)]
    pub fn borrow_mut(&self) -> RefMut<'_, T> {
        match self.0.try_borrow_mut() {
            Ok(v) => v,
            Err(_) => busy(),
        }
    }
}

#[cold]
#[inline(never)]
fn busy() -> ! {
    panic!("a simulation cell was borrowed while in use")
}

#[cold]
#[inline(never)]
fn outside() -> ! {
    panic!("a simulation table was indexed past its end")
}

#[cfg(test)]
mod tests {
    use super::{Shared, Table};

    #[test]
    fn indexes_as_its_vector_does() {
        let mut t: Table<u32> = vec![1, 2, 3].into();
        t[1] += 5;
        assert_eq!((t[0], t[1], t[2]), (1, 7, 3));
        assert_eq!(t.iter().sum::<u32>(), 11);
    }

    #[test]
    fn shares_as_its_cell_does() {
        let cell = Shared::new(vec![1]);
        cell.borrow_mut().push(2);
        assert_eq!(*cell.borrow(), [1, 2]);
    }

    #[test]
    #[should_panic(expected = "borrowed while in use")]
    fn panics_on_a_second_borrow() {
        let cell = Shared::new(0);
        let _held = cell.borrow_mut();
        let _ = *cell.borrow();
    }

    #[test]
    #[should_panic(expected = "past its end")]
    fn panics_past_its_end() {
        let t: Table<u32> = vec![1].into();
        let _ = t[1];
    }
}
