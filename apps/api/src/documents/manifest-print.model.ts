/** What the 转移联单 print shows (manifest-print.ts reads it from the ledger; the layout draws it). */

/** One line of the manifest as printed (part 1, with the receipt's mass in part 3's column). */
export interface ManifestPrintLine {
  readonly traceCode: string;
  readonly wasteName?: string;
  readonly wasteCode?: string;
  readonly hazards?: string;
  readonly physicalForm?: string;
  readonly packaging?: string;
  readonly shippedKg: number;
  readonly receivedKg?: number;
}

export interface ManifestPrintParty {
  readonly name?: string;
  readonly uscc: string;
  readonly address?: string;
  readonly handler?: string;
  readonly phone?: string;
  readonly emergencyPhone?: string;
}

/** A leg after the first (多式联运): the next carrier, its vehicle, where and when it took the waste over. */
export interface ManifestPrintLeg {
  readonly leg: number;
  readonly name?: string;
  readonly uscc: string;
  readonly vehiclePlate: string;
  /** 交接地点 */
  readonly place?: string;
  /** 交接时间: the start of this leg. */
  readonly startedAt?: string;
  /** The end of this leg: the next hand-over, or the receipt. */
  readonly endedAt?: string;
  /** The leg's crew, recorded at the hand-over (ManifestHandedOver v2); 已删除 after an erasure. */
  readonly licenceNo?: string;
  readonly vehicleType?: string;
  readonly driver?: string;
  readonly driverPhone?: string;
  readonly escort?: string;
  readonly escortPhone?: string;
}

/** Everything the 转移联单 prints; undefined fields print as blank lines to fill in by hand. */
export interface ManifestPrint {
  readonly manifestNo: string;
  readonly status: string;
  readonly plannedAt?: string;
  readonly shipper: ManifestPrintParty;
  /**
   * 跨省转移批准文号: the cross-province approval the manifest was issued under (ManifestIssued v4
   * `transferApprovalNo`); its row is printed when there is one or the manifest crosses a province.
   */
  readonly transferApprovalNo?: string;
  /** The shipper and the receiver are in different provinces. */
  readonly crossesProvince?: boolean;
  /** 交付时间: the pickup. */
  readonly handedOverAt?: string;
  readonly lines: readonly ManifestPrintLine[];
  readonly totalKg: number;
  readonly carrier: ManifestPrintParty & {
    readonly licenceNo?: string;
    readonly driver?: string;
    readonly driverPhone?: string;
    readonly escort?: string;
    readonly escortPhone?: string;
    readonly vehicleType?: string;
    readonly vehiclePlate?: string;
    readonly from?: string;
    readonly to?: string;
    readonly startedAt?: string;
    readonly endedAt?: string;
  };
  /** Every leg after the first (多式联运), in order; the first is `carrier`. */
  readonly legs?: readonly ManifestPrintLeg[];
  readonly receiver: ManifestPrintParty & {
    readonly permitNo?: string;
    readonly receivedAt?: string;
    readonly plannedOperation?: string;
    /** 是 / 否 after the receipt; undefined before. */
    readonly significantDiscrepancy?: string;
    readonly receivedKg?: number;
  };
  /** The link the QR code carries. */
  readonly url: string;
  /** The ledger position the print was read at. */
  readonly position: string;
}
