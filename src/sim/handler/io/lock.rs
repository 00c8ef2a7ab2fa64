//! `asyncio.Lock` and `asyncio.Semaphore`: a pool of permits per worker process, taken in the
//! order requests ask (asyncio's locks queue their waiters and a newcomer never overtakes one).

use super::{Acquire, EffectKind, Io, Resource};
use crate::sim::handler::Step;

impl Io {
    /// A permit of the program's lock `id` on this worker (`sizes`: every lock's permits, 1 for
    /// a `Lock`), waiting FIFO with the loop free when none is left; dropping the returned
    /// guard gives it back. The wait is recorded on `step`, the call that comes next.
    pub fn lock(&self, id: u16, sizes: &[u32], step: Step) -> Acquire {
        self.ctx.make_locks(sizes);
        Acquire {
            io: self.clone(),
            step,
            kind: EffectKind::Lock,
            resource: Resource::Lock(id),
            waiter: None,
            line: None,
        }
    }
}
