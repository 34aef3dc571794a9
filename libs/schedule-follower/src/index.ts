export {
  type FollowedEvent,
  type FollowEventsOptions,
  type FollowUnitsOptions,
  ScheduleFollower,
  scheduleEventsConsumer,
  scheduleUnitsConsumer,
} from './schedule-follower';
export { type FetchLike, SchedulesClient, type SchedulesClientOptions } from './schedules-client';
