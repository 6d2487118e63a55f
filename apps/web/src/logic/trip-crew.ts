/**
 * The crew of a leg as the pickup and hand-over forms hold it (issue 14: the 联单's part 2): driver and
 * escort (name, phone: personal data the API seals in an erasable record and names by reference), the
 * vehicle type and the carrier's transport licence number — all optional.
 */
export interface CrewForm {
  driverName: string;
  driverPhone: string;
  escortName: string;
  escortPhone: string;
  vehicleType: string;
  transportLicenceNo: string;
}

export function emptyCrew(): CrewForm {
  return {
    driverName: '',
    driverPhone: '',
    escortName: '',
    escortPhone: '',
    vehicleType: '',
    transportLicenceNo: '',
  };
}

/** What the API's TripCrewDto takes: driver/escort { name, phone? }, vehicleType, transportLicenceNo. */
export interface CrewBody {
  driver?: { name: string; phone?: string };
  escort?: { name: string; phone?: string };
  vehicleType?: string;
  transportLicenceNo?: string;
}

function person(name: string, phone: string): { name: string; phone?: string } | undefined {
  const n = name.trim();
  const p = phone.trim();
  if (n === '' && p === '') return undefined;
  // a phone without a name is sent as it is: the API names `driver.name` (one place for the rule)
  return p === '' ? { name: n } : { name: n, phone: p };
}

/** The crew's part of the request body: only what was filled in (an empty form adds nothing). */
export function crewBody(crew: CrewForm): CrewBody {
  const body: CrewBody = {};
  const driver = person(crew.driverName, crew.driverPhone);
  const escort = person(crew.escortName, crew.escortPhone);
  if (driver) body.driver = driver;
  if (escort) body.escort = escort;
  if (crew.vehicleType.trim() !== '') body.vehicleType = crew.vehicleType.trim();
  if (crew.transportLicenceNo.trim() !== '') body.transportLicenceNo = crew.transportLicenceNo.trim();
  return body;
}

/** The 经办人 of a generation, receipt or treatment as its form holds them (personal data, optional). */
export interface HandlerForm {
  name: string;
  phone: string;
}

export function emptyHandler(): HandlerForm {
  return { name: '', phone: '' };
}

/** The handler's part of a request body (`handler: {name, phone?}`), nothing when both fields are empty. */
export function handlerBody(handler: HandlerForm): { handler?: { name: string; phone?: string } } {
  const given = person(handler.name, handler.phone);
  return given ? { handler: given } : {};
}

/** What a carrier's tablet remembers between pickups (never the people: personal data stays in the ledger). */
export function rememberedVehicle(crew: CrewForm): { vehicleType: string; transportLicenceNo: string } {
  return { vehicleType: crew.vehicleType.trim(), transportLicenceNo: crew.transportLicenceNo.trim() };
}

/** A leg's crew as a manifest read shows it (GET /v1/manifests/{no} `pickup`, `pickup.legs[n]`). */
export interface LegCrew {
  vehicleType?: string;
  transportLicenceNo?: string;
  driver?: { name?: string; phone?: string };
  escort?: { name?: string; phone?: string };
}

/** The crew of leg `leg`: leg 1 is the pickup's, a later one its hand-over's; undefined when none was recorded. */
export function crewOfLeg(
  pickup: (LegCrew & { legs?: Record<string, LegCrew> }) | undefined,
  leg: number,
): LegCrew | undefined {
  if (!pickup) return undefined;
  const crew = leg === 1 ? pickup : pickup.legs?.[String(leg)];
  if (!crew) return undefined;
  const { vehicleType, transportLicenceNo, driver, escort } = crew;
  return vehicleType || transportLicenceNo || driver || escort
    ? { vehicleType, transportLicenceNo, driver, escort }
    : undefined;
}

/** A person as one line: name (phone); the record's own words once erased (已删除). */
export function personLine(person: { name?: string; phone?: string } | undefined): string | undefined {
  if (!person) return undefined;
  const name = person.name ?? '—';
  return person.phone && person.phone !== person.name ? `${name} (${person.phone})` : name;
}
