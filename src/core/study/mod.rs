//! Studying: which card comes next (due-time queues, daily limits, learn-ahead) and the
//! session on screen.

pub mod limits;
pub mod queues;
pub mod session;
pub mod sorted_set;
