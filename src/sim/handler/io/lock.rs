//! `asyncio.Lock` and `asyncio.Semaphore`: a pool of permits per worker process, taken in the
//! order requests ask (asyncio's locks queue their waiters and a newcomer never overtakes one);
//! and the database's lock on the `course` row, one for every worker, which a transaction takes
//! with `SELECT ... FOR UPDATE` or a write and holds until it ends.

use super::{Acquire, EffectKind, Io, Resource};
use crate::sim::handler::Step;

impl Io {
    /// A permit of the program's lock `id` on this worker (`sizes`: every lock's permits, 1 for
    /// a `Lock`), waiting FIFO with the loop free when none is left; dropping the returned
    /// guard gives it back. The wait is recorded on `step`, the call that comes next.
    pub fn lock(&self, id: u16, sizes: &[u32], step: Step, awaited: bool) -> Acquire {
        self.ctx.make_locks(sizes);
        Acquire::new(self, step, EffectKind::Lock { awaited }, Resource::Lock(id))
    }

    /// The `course` row's lock, for a transaction's query on `step`, waiting FIFO with the loop
    /// free while another transaction holds it; dropping the guard (the transaction's end)
    /// gives it back.
    pub fn row_lock(&self, step: Step, awaited: bool) -> Acquire {
        Acquire::new(
            self,
            step,
            EffectKind::RowLock { awaited },
            Resource::RowLock,
        )
    }
}
