import { crewBody, emptyCrew, rememberedVehicle } from './trip-crew';

describe('the crew of a leg on the pickup and hand-over forms', () => {
  it('adds nothing to the body when nothing is filled in', () => {
    expect(crewBody(emptyCrew())).toEqual({});
    expect(crewBody({ ...emptyCrew(), driverName: '  ', vehicleType: ' ' })).toEqual({});
  });

  it('sends each filled person as { name, phone? } and the vehicle fields trimmed', () => {
    const body = crewBody({
      driverName: ' 张三 ',
      driverPhone: '13800138000',
      escortName: '李四',
      escortPhone: '',
      vehicleType: '危险货物厢式运输车 ',
      transportLicenceNo: ' 浙交运管许可杭字330100001234号',
    });
    expect(body).toEqual({
      driver: { name: '张三', phone: '13800138000' },
      escort: { name: '李四' },
      vehicleType: '危险货物厢式运输车',
      transportLicenceNo: '浙交运管许可杭字330100001234号',
    });
  });

  it('sends a phone without a name as it is, for the API to name driver.name', () => {
    expect(crewBody({ ...emptyCrew(), driverPhone: '0571-12345678' })).toEqual({
      driver: { name: '', phone: '0571-12345678' },
    });
  });

  it('remembers the vehicle between pickups, never the people', () => {
    const kept = rememberedVehicle({
      ...emptyCrew(),
      driverName: '张三',
      driverPhone: '138',
      vehicleType: '厢式车',
      transportLicenceNo: 'L1',
    });
    expect(kept).toEqual({ vehicleType: '厢式车', transportLicenceNo: 'L1' });
    expect(JSON.stringify(kept)).not.toContain('张三');
  });
});
