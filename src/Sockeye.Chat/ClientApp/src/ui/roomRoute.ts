import { DefaultRoom, isValidRoomName } from "../realtime/protocol";

// Rooms have addresses, /rooms/{name}, so a reload or a shared link opens the same room. The service answers every
// such path with index.html (MapFallbackToFile).

export function roomFromPath(pathname: string): string {
  const match = /^\/rooms\/([^/]+)\/?$/.exec(pathname);
  const name = match ? decodeURIComponent(match[1]!) : DefaultRoom;
  return isValidRoomName(name) ? name : DefaultRoom;
}

export function pathForRoom(name: string): string {
  return name === DefaultRoom ? "/" : `/rooms/${encodeURIComponent(name)}`;
}
