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

/** What a carrier's tablet remembers between pickups (never the people: personal data stays in the ledger). */
export function rememberedVehicle(crew: CrewForm): { vehicleType: string; transportLicenceNo: string } {
  return { vehicleType: crew.vehicleType.trim(), transportLicenceNo: crew.transportLicenceNo.trim() };
}
