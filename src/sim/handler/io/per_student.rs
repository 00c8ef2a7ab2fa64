//! A value per student, by id, for the few things a run records about some of its requests (a
//! status that is not 200, when an early response was sent). Never iterated: read by id only.

/// Per student id, a value or none: a table that grows to the highest id given one. A
/// `BTreeMap<u32, _>` per value type carried a copy of the standard B-tree's code each into the
/// wasm (4,085 bytes gzip for the two).
pub(crate) struct PerStudent<T>(Vec<Option<T>>);

impl<T> Default for PerStudent<T> {
    fn default() -> Self {
        PerStudent(Vec::new())
    }
}

impl<T: Copy> PerStudent<T> {
    /// `student`'s value, if it has one.
    pub(crate) fn get(&self, student: u32) -> Option<T> {
        self.0.get(student as usize).copied().flatten()
    }

    /// Gives `student` the value `value` (`None`: none), returning the one it had.
    pub(crate) fn set(&mut self, student: u32, value: Option<T>) -> Option<T> {
        let i = student as usize;
        if i >= self.0.len() {
            // Nothing to record past the end: it has none already.
            value?;
            self.0.resize(i + 1, None);
        }
        std::mem::replace(&mut self.0[i], value)
    }
}
