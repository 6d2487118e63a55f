import {
  crewBody,
  crewOfLeg,
  emptyCrew,
  emptyHandler,
  handlerBody,
  personLine,
  rememberedVehicle,
} from './trip-crew';

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

describe('the crew of a leg on the manifest page', () => {
  const pickup = {
    vehicleType: '危险货物厢式运输车',
    driver: { name: '张三', phone: '13800138000' },
    legs: { '2': { driver: { name: '已删除', phone: '已删除' } }, '3': {} },
  };

  it('takes leg 1 from the pickup and a later leg from its hand-over', () => {
    expect(crewOfLeg(pickup, 1)).toEqual({
      vehicleType: '危险货物厢式运输车',
      transportLicenceNo: undefined,
      driver: { name: '张三', phone: '13800138000' },
      escort: undefined,
    });
    expect(crewOfLeg(pickup, 2)?.driver?.name).toBe('已删除');
  });

  it('has none for a leg that recorded no crew, or before the pickup', () => {
    expect(crewOfLeg(pickup, 3)).toBeUndefined();
    expect(crewOfLeg(pickup, 4)).toBeUndefined();
    expect(crewOfLeg(undefined, 1)).toBeUndefined();
    expect(crewOfLeg({ legs: {} }, 1)).toBeUndefined();
  });

  it('writes a person as name (phone), an erased one as 已删除 once', () => {
    expect(personLine({ name: '张三', phone: '13800138000' })).toBe('张三 (13800138000)');
    expect(personLine({ name: '张三' })).toBe('张三');
    expect(personLine({ name: '已删除', phone: '已删除' })).toBe('已删除');
    expect(personLine(undefined)).toBeUndefined();
  });
});

describe('the 经办人 of a generation, receipt or treatment', () => {
  it('adds nothing when empty; sends { name, phone? } trimmed; a phone without a name as it is (the API names handler.name)', () => {
    expect(handlerBody(emptyHandler())).toEqual({});
    expect(handlerBody({ name: ' 吴接收 ', phone: '' })).toEqual({ handler: { name: '吴接收' } });
    expect(handlerBody({ name: '吴接收', phone: ' 13711110002 ' })).toEqual({
      handler: { name: '吴接收', phone: '13711110002' },
    });
    expect(handlerBody({ name: '', phone: '137' })).toEqual({ handler: { name: '', phone: '137' } });
  });
});
